import type { FastifyInstance } from 'fastify';
import type { RequestStatus } from '../../db/schema.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { type ListFilters, listRequests } from '../../domain/requests/queries.js';
import { STATUS_LABELS, STATUSES } from '../../domain/requests/workflow.js';
import { requireArea, viewContext } from '../auth/gate.js';
import { Alert, Select } from '../components/form.js';
import { Pager, RequestTable } from '../components/requests.js';
import { Page } from '../layout/page.js';
import { sendPage } from '../render.js';

type Query = {
  statut?: string;
  application?: string;
  niveau?: string;
  gestionnaire?: string;
  bloquant?: string;
  apres?: string;
  /** After an action that took the request out of this person's queue. */
  transmise?: string;
};

/** Reads the queue's filters from the query string; unknown values are ignored. */
function parseFilters(q: Query): ListFilters {
  return {
    status: STATUSES.includes(q.statut as RequestStatus) ? (q.statut as RequestStatus) : undefined,
    applicationId: Number(q.application) || undefined,
    level: q.niveau === '1' ? 1 : q.niveau === '2' ? 2 : undefined,
    assignee: q.gestionnaire === 'moi' ? 'me' : q.gestionnaire === 'personne' ? 'none' : undefined,
    blocking: q.bloquant === 'oui' ? true : q.bloquant === 'non' ? false : undefined,
  };
}

export async function deskRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  app.get<{ Querystring: Query }>('/guichet', { preHandler: requireArea('desk') }, async (request, reply) => {
    const q = request.query;
    const page = await listRequests(db, request.actor!, parseFilters(q), { cursor: q.apres, limit: 25 });
    const refs = await getReferentials(db);
    const ctx = await viewContext(request, reply);
    const values = {
      statut: q.statut ?? '',
      application: q.application ?? '',
      niveau: q.niveau ?? '',
      gestionnaire: q.gestionnaire ?? '',
      bloquant: q.bloquant ?? '',
    };
    const form = { values, errors: {} };
    const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v)).toString();
    return sendPage(
      reply,
      <Page ctx={ctx} title="Guichet" breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Guichet' }]}>
        <h1>Guichet</h1>
        {q.transmise === '1' && (
          <Alert kind="success" title="Votre action a bien été enregistrée.">
            <p>La demande ne relève plus de votre niveau : elle n’apparaît plus dans votre file.</p>
          </Alert>
        )}
        <form method="get" action="/guichet" class="fr-mb-4w" aria-label="Filtrer la file">
          <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
            <div class="fr-col-12 fr-col-md-4 fr-col-lg-2">
              <Select
                form={form}
                name="application"
                label="Application"
                placeholder="Toutes"
                options={refs.applications
                  .filter((a) => ctx.actor?.role === 'admin' || ctx.actor?.applicationIds.includes(a.id))
                  .map((a) => ({ value: String(a.id), label: a.name }))}
              />
            </div>
            <div class="fr-col-12 fr-col-md-4 fr-col-lg-2">
              <Select
                form={form}
                name="statut"
                label="Statut"
                placeholder="Tous"
                options={STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
              />
            </div>
            <div class="fr-col-12 fr-col-md-4 fr-col-lg-2">
              <Select
                form={form}
                name="niveau"
                label="Niveau"
                placeholder="Tous"
                options={[
                  { value: '1', label: 'Niveau 1' },
                  { value: '2', label: 'Niveau 2' },
                ]}
              />
            </div>
            <div class="fr-col-12 fr-col-md-4 fr-col-lg-2">
              <Select
                form={form}
                name="gestionnaire"
                label="Gestionnaire"
                placeholder="Tous"
                options={[
                  { value: 'moi', label: 'Moi' },
                  { value: 'personne', label: 'Personne' },
                ]}
              />
            </div>
            <div class="fr-col-12 fr-col-md-4 fr-col-lg-2">
              <Select
                form={form}
                name="bloquant"
                label="Bloquant"
                placeholder="Tous"
                options={[
                  { value: 'oui', label: 'Bloquant' },
                  { value: 'non', label: 'Non bloquant' },
                ]}
              />
            </div>
            <div class="fr-col-12 fr-col-md-4 fr-col-lg-2">
              <button class="fr-btn fr-btn--secondary fr-mb-3w" type="submit">
                Filtrer
              </button>
            </div>
          </div>
        </form>
        {page.rows.length ? (
          <RequestTable caption="File des demandes, de la plus récemment mise à jour à la plus ancienne" rows={page.rows} desk />
        ) : (
          <p>Aucune demande ne correspond à ces filtres.</p>
        )}
        <Pager base={`/guichet${query ? `?${query}` : ''}`} next={page.next} first={!q.apres} />
      </Page>,
    );
  });
}
