import type { getOutboxMessage, listOutbox } from '../../domain/notifications/queries.js';
import { Alert } from '../components/form.js';
import { DataTable } from '../components/table.js';
import { Page } from '../layout/page.js';
import { formatDateTime } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';

const adminCrumbs = (label: string) => [{ label: 'Accueil', href: '/' }, { label: 'Administration', href: '/admin' }, { label }];

export { SettingsPage } from './settings-page.js';

/** The administration's sections, as tiles on its home page. */
const SECTIONS = [
  ['/admin/utilisateurs', 'Utilisateurs', 'Rechercher un compte, changer son rôle, ses applications, sa structure ou son état.'],
  ['/admin/demandes-de-compte', 'Demandes de compte', 'Valider ou refuser les demandes de compte, voir les décisions passées.'],
  ['/admin/parametres', 'Paramètres', 'Nom du service, téléphone et horaires de l’assistance, texte d’accueil.'],
  ['/admin/courriels', 'Courriels envoyés', 'Les messages du portail, leur état d’envoi et leur contenu.'],
  ['/admin/courriels-recus', 'Courriels reçus', 'Les réponses par courriel : ajoutées, refusées ou ignorées, et pourquoi.'],
  ['/admin/modeles', 'Modèles de courriels', 'Les textes des notifications, leurs variables et leur aperçu.'],
  ['/admin/journal', 'Journal d’audit', 'Connexions, refus d’accès et actions d’administration.'],
  ['/admin/reponses-types', 'Réponses types', 'Textes que les agents insèrent dans leurs réponses, par application.'],
] as const;

export function AdminHomePage({ ctx }: { ctx: ViewContext }) {
  return (
    <Page ctx={ctx} title="Administration" breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Administration' }]}>
      <h1>Administration</h1>
      <div class="fr-grid-row fr-grid-row--gutters">
        {SECTIONS.map(([href, title, desc]) => (
          <div class="fr-col-12 fr-col-md-4" key={href}>
            <div class="fr-tile fr-enlarge-link">
              <div class="fr-tile__body">
                <div class="fr-tile__content">
                  <h2 class="fr-tile__title">
                    <a href={href}>{title}</a>
                  </h2>
                  <p class="fr-tile__desc">{desc}</p>
                </div>
              </div>
            </div>
          </div>
        ))}
      </div>
    </Page>
  );
}

type OutboxMessage = NonNullable<Awaited<ReturnType<typeof getOutboxMessage>>>;

export function OutboxMessagePage({ ctx, message }: { ctx: ViewContext; message: OutboxMessage }) {
  return (
    <Page
      ctx={ctx}
      title={`Courriel n° ${message.id}`}
      breadcrumb={[
        { label: 'Accueil', href: '/' },
        { label: 'Administration', href: '/admin' },
        { label: 'Courriels envoyés', href: '/admin/courriels' },
        { label: `Courriel n° ${message.id}` },
      ]}
    >
      <h1>{message.subject}</h1>
      {message.lastError && (
        <Alert kind="error" title="Échec d’envoi">
          <p>{message.lastError}</p>
        </Alert>
      )}
      <p>{`Destinataire : ${message.toAddress} — créé le ${formatDateTime(message.createdAt)}`}</p>
      <pre class="guichet-text guichet-mail">{message.body}</pre>
    </Page>
  );
}

const MAIL_STATUS: Record<string, string> = {
  pending: 'En attente',
  sent: 'Envoyé',
  failed: 'Échec définitif',
  kept: 'Conservé (pas de serveur SMTP)',
};

export function OutboxPage({
  ctx,
  page,
  smtp,
}: {
  ctx: ViewContext;
  page: Awaited<ReturnType<typeof listOutbox>>;
  smtp: boolean;
}) {
  return (
    <Page ctx={ctx} title="Courriels envoyés" breadcrumb={adminCrumbs('Courriels envoyés')}>
      <h1>Courriels envoyés</h1>
      {!smtp && (
        <Alert kind="info" title="Aucun serveur SMTP n’est configuré">
          <p>Les courriels sont conservés ici et ne partent pas. Configurez SMTP_URL pour les envoyer.</p>
        </Alert>
      )}
      <DataTable caption="Courriels, du plus récent au plus ancien">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Destinataire</th>
            <th scope="col">Objet</th>
            <th scope="col">État</th>
            <th scope="col">Tentatives</th>
          </tr>
        </thead>
        <tbody>
          {page.rows.map((m) => (
            <tr key={m.id}>
              <td>{formatDateTime(m.createdAt)}</td>
              <td>{m.toAddress}</td>
              <td>
                <a href={`/admin/courriels/${m.id}`}>{m.subject}</a>
              </td>
              <td>{MAIL_STATUS[m.status] ?? m.status}</td>
              <td>{m.attempts}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      {page.next && (
        <a class="fr-link" href={`/admin/courriels?avant=${page.next}`}>
          Courriels plus anciens
        </a>
      )}
    </Page>
  );
}
