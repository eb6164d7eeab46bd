import type { listInbound } from '../../domain/inbound/record.js';
import { DataTable } from '../components/table.js';
import { Page } from '../layout/page.js';
import { formatDateTime } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';

const OUTCOMES: Record<string, { label: string; badge: string }> = {
  added: { label: 'Ajouté à la demande', badge: 'fr-badge--success' },
  refused: { label: 'Refusé', badge: 'fr-badge--error' },
  ignored: { label: 'Ignoré (automatique)', badge: 'fr-badge--info' },
};

const CHANNELS: Record<string, string> = { smtp: 'SMTP', imap: 'IMAP' };

/** « Courriels reçus »: every reply by e-mail and what became of it, so refusals can be seen. */
export function InboundPage({ ctx, page }: { ctx: ViewContext; page: Awaited<ReturnType<typeof listInbound>> }) {
  return (
    <Page
      ctx={ctx}
      title="Courriels reçus"
      breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Administration', href: '/admin' }, { label: 'Courriels reçus' }]}
    >
      <h1>Courriels reçus</h1>
      <p>
        Les réponses reçues par courriel aux notifications du portail. Un message ajouté devient « J’ajoute une information » de
        son expéditeur ; les messages refusés ne sont pas ajoutés, les réponses automatiques et avis de non-remise sont ignorés.
      </p>
      {page.rows.length === 0 ? (
        <p>Aucun courriel reçu pour l’instant.</p>
      ) : (
        <DataTable caption="Courriels reçus, du plus récent au plus ancien">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Expéditeur</th>
              <th scope="col">Objet</th>
              <th scope="col">Demande</th>
              <th scope="col">Résultat</th>
              <th scope="col">Motif</th>
              <th scope="col">Canal</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((m) => {
              const outcome = OUTCOMES[m.outcome] ?? { label: m.outcome, badge: '' };
              return (
                <tr key={m.id}>
                  <td>{formatDateTime(m.receivedAt)}</td>
                  <td>{m.fromAddress ?? '—'}</td>
                  <td>{m.subject ?? '—'}</td>
                  <td>{m.requestNumber ? <a href={`/demandes/${m.requestNumber}`}>{`n° ${m.requestNumber}`}</a> : '—'}</td>
                  <td>
                    <span class={`fr-badge fr-badge--sm fr-badge--no-icon ${outcome.badge}`.trim()}>{outcome.label}</span>
                  </td>
                  <td>{m.reason ?? '—'}</td>
                  <td>{CHANNELS[m.channel] ?? m.channel}</td>
                </tr>
              );
            })}
          </tbody>
        </DataTable>
      )}
      {page.next && (
        <a class="fr-link" href={`/admin/courriels-recus?avant=${page.next}`}>
          Courriels plus anciens
        </a>
      )}
    </Page>
  );
}
