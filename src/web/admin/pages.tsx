import type { listAudit, listOutbox } from '../../domain/notifications/queries.js';
import { Alert } from '../components/form.js';
import { DataTable } from '../components/table.js';
import { Page } from '../layout/page.js';
import { formatDateTime } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';

const adminCrumbs = (label: string) => [{ label: 'Accueil', href: '/' }, { label: 'Administration', href: '/admin' }, { label }];

export { SettingsPage } from './settings-page.js';

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

export function AuditPage({ ctx, page }: { ctx: ViewContext; page: Awaited<ReturnType<typeof listAudit>> }) {
  return (
    <Page ctx={ctx} title="Journal d’audit" breadcrumb={adminCrumbs('Journal d’audit')}>
      <h1>Journal d’audit</h1>
      <DataTable caption="Événements, du plus récent au plus ancien">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Action</th>
            <th scope="col">Compte</th>
            <th scope="col">Cible</th>
            <th scope="col">Adresse</th>
          </tr>
        </thead>
        <tbody>
          {page.rows.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.at)}</td>
              <td>{e.action}</td>
              <td>{e.login ?? '—'}</td>
              <td>{e.target ?? '—'}</td>
              <td>{e.ip ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      {page.next && (
        <a class="fr-link" href={`/admin/journal?avant=${page.next}`}>
          Événements plus anciens
        </a>
      )}
    </Page>
  );
}
