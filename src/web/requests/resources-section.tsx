/**
 * « Ressources associées » on a request page: the FAQ entries and documents attached (those the
 * viewer may read), the desk's forms to find, attach and remove them, and, for editors on a
 * treated request, « Créer une FAQ à partir de cette demande ».
 */
import type { ComponentChildren } from 'preact';
import { canEdit, isStaff } from '../../domain/access.js';
import { isTreated } from '../../domain/knowledge/faq-from-request.js';
import type { ResourceType } from '../../domain/knowledge/resources.js';
import type { RequestView } from '../../domain/requests/queries.js';
import type { ViewContext } from '../shared/view-context.js';

type Props = { ctx: ViewContext; request: RequestView; links: ComponentChildren };

export const faqHref = (number: number) => `/faq/${number}`;
export const documentHref = (id: number) => `/base-documentaire/documents/${id}`;

export function ResourcesSection({ ctx, request: r, links }: Props) {
  const staff = isStaff(ctx.actor);
  const detach = (type: ResourceType, id: number, label: string) =>
    staff && <DetachForm ctx={ctx} number={r.number} type={type} id={id} label={label} />;
  return (
    <section class="fr-mt-6w" aria-labelledby="resources-title" id="ressources">
      <h2 id="resources-title" class="fr-h4">
        Ressources associées
      </h2>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-4">
          <h3 class="fr-h6" id="resources-faq-title">
            F.A.Q.
          </h3>
          {r.faq.length ? (
            <ul aria-labelledby="resources-faq-title">
              {r.faq.map((f) => (
                <li key={f.id} class="fr-mb-1w">
                  <a href={faqHref(f.number)}>{`${f.number} - ${f.title}`}</a>
                  {!f.published && ' (non publiée)'}
                  {detach('faq', f.id, `la F.A.Q. n° ${f.number}`)}
                </li>
              ))}
            </ul>
          ) : (
            <p>Aucune référence à un sujet de la F.A.Q.</p>
          )}
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <h3 class="fr-h6" id="resources-documents-title">
            Documents
          </h3>
          {r.documents.length ? (
            <ul aria-labelledby="resources-documents-title">
              {r.documents.map((d) => (
                <li key={d.id} class="fr-mb-1w">
                  <a href={documentHref(d.id)}>{d.title}</a>
                  {!d.published && ' (non publié)'}
                  {detach('document', d.id, `le document « ${d.title} »`)}
                </li>
              ))}
            </ul>
          ) : (
            <p>Aucune référence vers un document de la base de connaissances.</p>
          )}
        </div>
        {links}
      </div>
      {staff && <AttachSearchForm number={r.number} />}
      {staff && <FaqDraft ctx={ctx} request={r} />}
    </section>
  );
}

function DetachForm({
  ctx,
  number,
  type,
  id,
  label,
}: {
  ctx: ViewContext;
  number: number;
  type: ResourceType;
  id: number;
  label: string;
}) {
  return (
    <form method="post" action={`/demandes/${number}/ressources/retirer`} class="fr-mt-1v">
      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
      <input type="hidden" name="type" value={type} />
      <input type="hidden" name="id" value={String(id)} />
      <button type="submit" class="fr-btn fr-btn--tertiary fr-btn--sm">
        Retirer<span class="fr-sr-only">{` ${label} des ressources associées`}</span>
      </button>
    </form>
  );
}

/** Without JavaScript: a search (GET) opens the results page, where each result has « Associer ». */
export function AttachSearchForm({ number, text = '' }: { number: number; text?: string }) {
  return (
    <form method="get" action={`/demandes/${number}/ressources`} class="fr-mt-2w" id="resources-search-form" role="search">
      <div class="fr-input-group">
        <label class="fr-label" for="resources-search">
          Associer une fiche de F.A.Q. ou un document
          <span class="fr-hint-text">Quelques mots de son titre ou de son contenu.</span>
        </label>
        <input class="fr-input" type="search" id="resources-search" name="recherche" value={text} maxLength={200} />
      </div>
      <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm">
        Rechercher dans la base documentaire
      </button>
    </form>
  );
}

/** The FAQ entry drafted from this request, or the button that drafts it (editors, treated requests). */
function FaqDraft({ ctx, request: r }: { ctx: ViewContext; request: RequestView }) {
  const editor = canEdit(ctx.actor);
  if (r.faqDraft) {
    const words = r.faqDraft.published
      ? `F.A.Q. n° ${r.faqDraft.number} rédigée à partir de cette demande`
      : `Brouillon de FAQ n° ${r.faqDraft.number}`;
    return (
      <p class="fr-mt-3w" id="faq-draft">
        {editor ? <a href={`/redaction/faq/${r.faqDraft.id}`}>{words}</a> : words}
      </p>
    );
  }
  if (!editor || !isTreated(r.status)) return null;
  return (
    <form method="post" action={`/demandes/${r.number}/faq`} class="fr-mt-3w" id="faq-from-request-form">
      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
      <button type="submit" class="fr-btn fr-btn--secondary fr-icon-questionnaire-line fr-btn--icon-left">
        Créer une FAQ à partir de cette demande
      </button>
    </form>
  );
}
