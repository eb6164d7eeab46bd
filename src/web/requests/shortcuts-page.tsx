/**
 * « Raccourcis clavier » of the desk: what each key does, and the switch that turns them on in
 * this browser (public/desk-keys.js). They are off by default: a single key would take the keys of
 * a screen reader or of voice control (RGAA 12.11).
 */
import { DataTable } from '../components/table.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../shared/view-context.js';
import { QUEUE_PATH } from './queue-page.js';

const KEYS: [string, string, string][] = [
  ['j', 'File des demandes', 'Demande suivante de la liste (le lien de son numéro prend le focus)'],
  ['k', 'File des demandes', 'Demande précédente de la liste'],
  ['x', 'File des demandes', 'Cocher ou décocher la demande qui a le focus'],
  ['f', 'File des demandes', 'Aller aux filtres'],
  ['s', 'Page d’une demande', '« Demande suivante » : la première autre demande de la file, telle que vous l’avez laissée'],
  ['g', 'Partout', 'Ouvrir le guichet'],
  ['?', 'Partout', 'Ouvrir cette page'],
];

export function ShortcutsPage({ ctx }: { ctx: ViewContext }) {
  return (
    <Page
      ctx={ctx}
      title="Raccourcis clavier"
      breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Guichet', href: QUEUE_PATH }, { label: 'Raccourcis clavier' }]}
    >
      <h1>Raccourcis clavier</h1>
      <p>
        Au guichet, une touche seule peut déplacer le focus dans la file ou ouvrir la demande suivante. Les raccourcis sont
        désactivés par défaut, pour ne pas prendre les touches d’un lecteur d’écran ou d’une commande vocale ; ils n’agissent
        jamais pendant la saisie dans un champ, ni avec les touches Ctrl, Alt ou Cmd. Le choix vaut pour ce navigateur.
      </p>
      <p id="shortcuts-state" role="status" class="fr-text--bold">
        Les raccourcis demandent JavaScript : sans lui, le guichet s’utilise avec la touche Tab et les liens.
      </p>
      {/* Shown by the script: DSFR's buttons would override « hidden » on the button itself. */}
      <div id="shortcuts-switch" hidden>
        <button type="button" class="fr-btn fr-mb-4w" id="shortcuts-toggle" aria-pressed="false">
          Activer les raccourcis
        </button>
      </div>
      <DataTable caption="Touches et actions">
        <thead>
          <tr>
            <th scope="col">Touche</th>
            <th scope="col">Où</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {KEYS.map(([key, where, what]) => (
            <tr key={key}>
              <td>
                <kbd>{key}</kbd>
              </td>
              <td>{where}</td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </Page>
  );
}
