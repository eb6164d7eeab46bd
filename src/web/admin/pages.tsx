import type { listAudit, listOutbox } from '../../domain/notifications/queries.js';
import { Alert, Csrf, ErrorSummary, type FormState, Input, Select, Textarea } from '../components/form.js';
import { DataTable } from '../components/table.js';
import { formatDateTime } from '../format.js';
import { Page } from '../layout/page.js';
import type { ViewContext } from '../view-context.js';

const adminCrumbs = (label: string) => [{ label: 'Accueil', href: '/' }, { label: 'Administration', href: '/admin' }, { label }];

const SETTINGS_LABELS = {
  serviceName: 'Nom du service',
  ministryName: 'Nom du ministère (bloc marque)',
  supportPhone: 'Téléphone de l’assistance',
  supportHours: 'Horaires de l’assistance',
  welcomeText: 'Texte d’accueil',
  accessibilityStatus: 'Conformité au RGAA',
  activationDays: 'Validité du lien d’activation (jours)',
};

export function SettingsPage({ ctx, form, saved }: { ctx: ViewContext; form: FormState; saved?: boolean }) {
  const failed = Object.keys(form.errors).length > 0;
  return (
    <Page ctx={ctx} title="Paramètres" failed={failed} breadcrumb={adminCrumbs('Paramètres')}>
      <h1>Paramètres</h1>
      {saved && <Alert kind="success" title="Les paramètres ont été enregistrés." />}
      <ErrorSummary form={form} labels={SETTINGS_LABELS} />
      <form method="post" action="/admin/parametres" novalidate>
        <Csrf token={ctx.csrfToken} />
        <Input form={form} name="serviceName" label={SETTINGS_LABELS.serviceName} required />
        <Textarea
          form={form}
          name="ministryName"
          label={SETTINGS_LABELS.ministryName}
          hint="Une ligne par ligne du bloc marque."
          required
          rows={3}
        />
        <Input
          form={form}
          name="supportPhone"
          label={SETTINGS_LABELS.supportPhone}
          hint="Format attendu : 01 22 33 44 55"
          required
          autocomplete="off"
          type="tel"
        />
        <Input
          form={form}
          name="supportHours"
          label={SETTINGS_LABELS.supportHours}
          hint="Par exemple : Lu-Ve, 9h - 18h"
          required
        />
        <Textarea
          form={form}
          name="welcomeText"
          label={SETTINGS_LABELS.welcomeText}
          hint="Une ligne vide sépare deux paragraphes ; {applications} est remplacé par la liste des applications."
          required
          rows={10}
        />
        <Select
          form={form}
          name="accessibilityStatus"
          label={SETTINGS_LABELS.accessibilityStatus}
          required
          options={['non conforme', 'partiellement conforme', 'totalement conforme'].map((v) => ({ value: v, label: v }))}
        />
        <Input
          form={form}
          name="activationDays"
          label={SETTINGS_LABELS.activationDays}
          hint="Nombre de jours pendant lesquels le lien envoyé à un nouveau compte reste valable (1 à 60)."
          required
          type="number"
        />
        <div class="fr-checkbox-group fr-mb-4w">
          {/* Sent when the box is unticked; a ticked box's value comes after it and wins. */}
          <input type="hidden" name="adminTotpRequired" value="false" />
          <input
            type="checkbox"
            id="adminTotpRequired"
            name="adminTotpRequired"
            value="true"
            checked={form.values.adminTotpRequired === 'true'}
          />
          <label class="fr-label" for="adminTotpRequired">
            Double authentification obligatoire pour les administrateurs
            <span class="fr-hint-text">
              Un administrateur sans double authentification devra l’activer à sa prochaine connexion.
            </span>
          </label>
        </div>
        <button class="fr-btn" type="submit">
          Enregistrer
        </button>
      </form>
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
