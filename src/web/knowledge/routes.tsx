import type { FastifyInstance } from 'fastify';
import { faqByNumber, knowledgeIndex } from '../../domain/knowledge/queries.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { viewContext } from '../auth/gate.js';
import { Page } from '../layout/page.js';
import { sendPage } from '../render.js';
import { editingIndexRoutes } from './editing-index.js';

/** The knowledge base is public: anyone may read the FAQ and documents before filing a request. */
export async function knowledgeRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  await app.register(editingIndexRoutes);

  app.get<{ Querystring: { application?: string } }>('/base-documentaire', async (request, reply) => {
    const refs = await getReferentials(db);
    const current = refs.applications.find((a) => String(a.id) === request.query.application);
    const { faq, docs } = await knowledgeIndex(db, current?.id);
    const ctx = await viewContext(request, reply);
    const title = current ? `Base documentaire – ${current.name}` : 'Base documentaire';
    return sendPage(
      reply,
      <Page
        ctx={ctx}
        title={title}
        breadcrumb={[
          { label: 'Accueil', href: '/' },
          { label: 'Base documentaire', href: '/base-documentaire' },
          ...(current ? [{ label: current.name }] : []),
        ]}
      >
        <div class="fr-grid-row fr-grid-row--gutters">
          <div class="fr-col-12 fr-col-md-3">
            <nav class="fr-sidemenu" role="navigation" aria-labelledby="sidemenu-title">
              <div class="fr-sidemenu__inner">
                <button class="fr-sidemenu__btn" aria-controls="sidemenu-collapse" aria-expanded="false" type="button">
                  Thématique
                </button>
                <div class="fr-collapse" id="sidemenu-collapse">
                  <p class="fr-sidemenu__title" id="sidemenu-title">
                    Thématique
                  </p>
                  <ul class="fr-sidemenu__list">
                    {refs.applications.map((a) => (
                      <li class={`fr-sidemenu__item${a.id === current?.id ? ' fr-sidemenu__item--active' : ''}`} key={a.id}>
                        <a
                          class="fr-sidemenu__link"
                          href={`/base-documentaire?application=${a.id}`}
                          aria-current={a.id === current?.id ? 'page' : undefined}
                        >
                          {a.name}
                        </a>
                      </li>
                    ))}
                  </ul>
                </div>
              </div>
            </nav>
          </div>
          <div class="fr-col-12 fr-col-md-9">
            <h1>{title}</h1>
            <h2 class="fr-h4">F.A.Q.</h2>
            {faq.length ? (
              <ul>
                {faq.map((f) => (
                  <li key={f.number}>
                    <a href={`/faq/${f.number}`}>{`${f.number} - ${f.title}`}</a>
                  </li>
                ))}
              </ul>
            ) : (
              <p>Aucune question pour cette thématique.</p>
            )}
            <h2 class="fr-h4">Documents</h2>
            {docs.length ? (
              <ul>
                {docs.map((d) => (
                  <li key={d.id}>{d.themeName ? `${d.title} (${d.themeName})` : d.title}</li>
                ))}
              </ul>
            ) : (
              <p>Aucun document pour cette thématique.</p>
            )}
          </div>
        </div>
      </Page>,
    );
  });

  app.get<{ Params: { number: string } }>('/faq/:number', async (request, reply) => {
    const entry = await faqByNumber(db, Number(request.params.number) || 0);
    if (!entry) return reply.callNotFound();
    const ctx = await viewContext(request, reply);
    const title = `${entry.number} - ${entry.title}`;
    return sendPage(
      reply,
      <Page
        ctx={ctx}
        title={`F.A.Q. ${entry.number}`}
        breadcrumb={[
          { label: 'Accueil', href: '/' },
          { label: 'Base documentaire', href: '/base-documentaire' },
          { label: `F.A.Q. ${entry.number}` },
        ]}
      >
        <h1 class="fr-h2">{title}</h1>
        {entry.applicationName && <p class="fr-tag">{entry.applicationName}</p>}
        <div class="guichet-text">{entry.body}</div>
      </Page>,
    );
  });
}
