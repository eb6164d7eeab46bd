/**
 * « Rédaction »: the editors' index of the knowledge base. Each kind of content (documents, FAQ
 * entries, news) is one section; a section lists its items with their state and links to edit them.
 */
import type { Executor } from '../../db/client.js';
import { Page } from '../layout/page.js';
import { requireArea, viewContext } from '../plugins/actor-gate.js';
import { formatDate } from '../shared/format.js';
import { sendPage } from '../shared/render.js';
import type { ZodApp } from '../shared/schemas.js';
import type { ViewContext } from '../shared/view-context.js';

export type EditingRow = { title: string; href: string; published: boolean; updatedAt: Date | null; detail?: string };

/** One kind of content on the « Rédaction » index. */
export type EditingSection = {
  /** Orders the sections on the page (documents 10, FAQ 20, news 30). */
  order: number;
  title: string;
  /** The page that lists and edits this kind of content, and the page to create one. */
  href: string;
  newHref: string;
  newLabel: string;
  /** The most recently changed items, drafts included. */
  load: (db: Executor) => Promise<EditingRow[]>;
};

const sections: EditingSection[] = [];

/** Extension point: each kind of content adds its section once, when its routes are registered. */
export function addEditingSection(section: EditingSection) {
  if (sections.some((s) => s.href === section.href)) return;
  sections.push(section);
  sections.sort((a, b) => a.order - b.order);
}

export function StateBadge({ published }: { published: boolean }) {
  return published ? (
    <p class="fr-badge fr-badge--success fr-badge--sm">Publié</p>
  ) : (
    <p class="fr-badge fr-badge--info fr-badge--sm">Brouillon</p>
  );
}

function EditingIndexPage({ ctx, loaded }: { ctx: ViewContext; loaded: { section: EditingSection; rows: EditingRow[] }[] }) {
  return (
    <Page ctx={ctx} title="Rédaction" breadcrumb={[{ label: 'Accueil', href: '/' }, { label: 'Rédaction' }]}>
      <h1>Rédaction</h1>
      <p>Les contenus de la base documentaire, publiés ou en brouillon.</p>
      {loaded.map(({ section, rows }) => (
        <section key={section.href} class="fr-mb-6w" aria-labelledby={`section-${section.order}`}>
          <h2 id={`section-${section.order}`}>{section.title}</h2>
          <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">
            <li>
              <a class="fr-btn fr-btn--sm" href={section.newHref}>
                {section.newLabel}
              </a>
            </li>
            <li>
              <a class="fr-btn fr-btn--sm fr-btn--secondary" href={section.href}>
                Tout voir
              </a>
            </li>
          </ul>
          {rows.length ? (
            <ul>
              {rows.map((r) => (
                <li key={r.href} class="fr-mb-1w">
                  <a href={r.href}>{r.title}</a> <StateBadge published={r.published} />
                  {r.detail && <span class="fr-text--sm"> {r.detail}</span>}
                  {r.updatedAt && <span class="fr-text--sm"> — modifié le {formatDate(r.updatedAt)}</span>}
                </li>
              ))}
            </ul>
          ) : (
            <p>Aucun contenu pour le moment.</p>
          )}
        </section>
      ))}
    </Page>
  );
}

export async function editingIndexRoutes(app: ZodApp) {
  const { db } = app.deps;
  app.get('/redaction', { preValidation: requireArea('editing') }, async (request, reply) => {
    const loaded = await Promise.all(sections.map(async (section) => ({ section, rows: await section.load(db) })));
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <EditingIndexPage ctx={ctx} loaded={loaded} />);
  });
}
