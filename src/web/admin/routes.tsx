import type { FastifyInstance } from 'fastify';
import { transaction } from '../../db/client.js';
import { audit } from '../../domain/audit/audit.js';
import { ValidationError } from '../../domain/errors.js';
import { getOutboxMessage, listAudit, listOutbox } from '../../domain/notifications/queries.js';
import { clearSettingsCache, getSettings, saveSettings } from '../../domain/settings/settings.js';
import { Alert, emptyForm, type FormState } from '../components/form.js';
import { Page } from '../layout/page.js';
import { requireArea, viewContext } from '../plugins/actor-gate.js';
import { formatDateTime } from '../shared/format.js';
import { sendPage } from '../shared/render.js';
import { cannedAnswerRoutes } from './canned-answers-routes.js';
import { inboundRoutes } from './inbound-routes.js';
import { AuditPage, OutboxPage, SettingsPage } from './pages.js';

export async function adminRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  const gate = { preHandler: requireArea('admin') };
  await app.register(inboundRoutes);
  await app.register(cannedAnswerRoutes);

  app.get('/admin', gate, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    const links = [
      [
        '/admin/utilisateurs',
        'Utilisateurs',
        'Rechercher un compte, changer son rôle, ses applications, sa structure ou son état.',
      ],
      [
        '/admin/demandes-de-compte',
        'Demandes de compte',
        'Valider ou refuser les demandes de compte, voir les décisions passées.',
      ],
      ['/admin/parametres', 'Paramètres', 'Nom du service, téléphone et horaires de l’assistance, texte d’accueil.'],
      ['/admin/courriels', 'Courriels envoyés', 'Les messages du portail, leur état d’envoi et leur contenu.'],
      ['/admin/courriels-recus', 'Courriels reçus', 'Les réponses par courriel : ajoutées, refusées ou ignorées, et pourquoi.'],
      ['/admin/modeles', 'Modèles de courriels', 'Les textes des notifications, leurs variables et leur aperçu.'],
      ['/admin/journal', 'Journal d’audit', 'Connexions, refus d’accès et actions d’administration.'],
      ['/admin/reponses-types', 'Réponses types', 'Textes que les agents insèrent dans leurs réponses, par application.'],
    ];
    return sendPage(
      reply,
      <Page ctx={ctx} title="Administration" breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Administration' }]}>
        <h1>Administration</h1>
        <div class="fr-grid-row fr-grid-row--gutters">
          {links.map(([href, title, desc]) => (
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
      </Page>,
    );
  });

  app.get<{ Querystring: { enregistre?: string } }>('/admin/parametres', gate, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    const form = emptyForm(Object.fromEntries(Object.entries(await getSettings(db)).map(([k, v]) => [k, String(v)])));
    return sendPage(reply, <SettingsPage ctx={ctx} form={form} saved={request.query.enregistre === '1'} />);
  });

  app.post<{ Body: Record<string, string | string[]> }>('/admin/parametres', gate, async (request, reply) => {
    // A repeated field (the checkbox after its hidden default) counts for its last value.
    const body = Object.fromEntries(
      Object.entries(request.body ?? {}).map(([k, v]) => [k, Array.isArray(v) ? (v.at(-1) ?? '') : v]),
    );
    delete body._csrf;
    try {
      await transaction(db, async (tx) => {
        await saveSettings(tx, body, request.actor!.id);
        await audit(tx, {
          action: 'settings.update',
          actorId: request.actor!.id,
          ip: request.ip,
          details: { keys: Object.keys(body) },
        });
      });
      clearSettingsCache(db);
      return reply.redirect('/admin/parametres?enregistre=1', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const ctx = await viewContext(request, reply);
      const form: FormState = { values: body, errors: error.fields };
      return sendPage(reply, <SettingsPage ctx={ctx} form={form} />, 422);
    }
  });

  app.get<{ Querystring: { avant?: string } }>('/admin/courriels', gate, async (request, reply) => {
    const page = await listOutbox(db, Number(request.query.avant) || undefined, 50);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <OutboxPage ctx={ctx} page={page} smtp={Boolean(app.deps.config.smtpUrl)} />);
  });

  app.get<{ Params: { id: string } }>('/admin/courriels/:id', gate, async (request, reply) => {
    const message = await getOutboxMessage(db, Number(request.params.id) || 0);
    if (!message) return reply.callNotFound();
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
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
      </Page>,
    );
  });

  app.get<{ Querystring: { avant?: string } }>('/admin/journal', gate, async (request, reply) => {
    const page = await listAudit(db, Number(request.query.avant) || undefined, 100);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <AuditPage ctx={ctx} page={page} />);
  });
}
