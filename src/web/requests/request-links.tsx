/**
 * « Demandes liées » on a request page: the linked requests the viewer may see and, for the desk,
 * the forms that link, unlink and close the request as a duplicate of another.
 */

import { isStaff } from '../../domain/access.js';
import type { RequestView } from '../../domain/requests/queries.js';
import { emptyForm, type FormState, Input, Textarea } from '../components/form.js';
import { StatusBadge } from '../components/requests.js';
import type { ViewContext } from '../shared/view-context.js';
import type { ActionFormState } from './request-form-errors.js';

type Props = { ctx: ViewContext; request: RequestView; token: string; failed?: ActionFormState };

/** The history's words for a request closed as a duplicate: the original only for those who may see it. */
export function duplicateLabel(duplicateOf: RequestView['duplicateOf']): string {
  return duplicateOf?.number
    ? `Clôturée comme doublon de la demande n° ${duplicateOf.number}`
    : 'Clôturée comme doublon d’une autre demande';
}

export function RequestLinks({ ctx, request: r, token, failed }: Props) {
  const staff = isStaff(ctx.actor);
  const formOf = (action: string): FormState => (failed?.action === action ? failed.form : emptyForm());
  return (
    <div class="fr-col-12 fr-col-md-4">
      <h3 class="fr-h6" id="linked-title">
        Demandes liées
      </h3>
      {r.duplicateOf && (
        <p>
          {r.duplicateOf.number ? (
            <a href={`/demandes/${r.duplicateOf.number}`}>{duplicateLabel(r.duplicateOf)}</a>
          ) : (
            duplicateLabel(r.duplicateOf)
          )}
        </p>
      )}
      {r.linked.length ? (
        <ul class="guichet-links" aria-labelledby="linked-title">
          {r.linked.map((l) => (
            <li key={l.number} class="fr-mb-1w">
              <a href={`/demandes/${l.number}`}>{`n° ${l.number} - ${l.subject}`}</a> <StatusBadge status={l.status} small />
              {staff && <UnlinkForm ctx={ctx} number={r.number} other={l.number} />}
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucune demande liée actuellement.</p>
      )}
      {staff && <LinkForm ctx={ctx} number={r.number} form={formOf('link')} />}
      {staff && r.actions.includes('mark_duplicate') && (
        <DuplicateForm ctx={ctx} request={r} token={token} form={formOf('mark_duplicate')} />
      )}
    </div>
  );
}

function UnlinkForm({ ctx, number, other }: { ctx: ViewContext; number: number; other: number }) {
  return (
    <form method="post" action={`/demandes/${number}/liens/retirer`} class="fr-mt-1v">
      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
      <input type="hidden" name="number" value={String(other)} />
      <button type="submit" class="fr-btn fr-btn--tertiary fr-btn--sm">
        Retirer le lien<span class="fr-sr-only">{` avec la demande n° ${other}`}</span>
      </button>
    </form>
  );
}

function LinkForm({ ctx, number, form }: { ctx: ViewContext; number: number; form: FormState }) {
  return (
    <form method="post" action={`/demandes/${number}/liens`} id="link-form" class="fr-mt-2w" novalidate>
      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
      <Input form={form} name="linkNumber" label="Lier à la demande n°" hint="Numéro de la demande, en chiffres." required />
      <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm">
        Lier les demandes
      </button>
    </form>
  );
}

function DuplicateForm({
  ctx,
  request,
  token,
  form,
}: {
  ctx: ViewContext;
  request: RequestView;
  token: string;
  form: FormState;
}) {
  return (
    <form
      method="post"
      action={`/demandes/${request.number}/actions`}
      id="duplicate-form"
      class="fr-mt-3w"
      aria-labelledby="duplicate-title"
      novalidate
    >
      <h4 class="fr-h6" id="duplicate-title">
        Marquer comme doublon
      </h4>
      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
      <input type="hidden" name="action" value="mark_duplicate" />
      <input type="hidden" name="version" value={String(request.version)} />
      <input type="hidden" name="token" value={`${token}-mark_duplicate`} />
      <Input
        form={form}
        name="duplicateOfNumber"
        label="Numéro de la demande d’origine"
        hint="Cette demande sera clôturée et liée à celle-ci."
        required
      />
      <Textarea
        form={{ values: { message: form.values.message ?? '' }, errors: form.errors }}
        name="message"
        id="mark_duplicate-message"
        label="Message au demandeur"
        hint="Facultatif. Il accompagne l’avis de clôture."
        rows={3}
      />
      <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm">
        Marquer comme doublon
      </button>
    </form>
  );
}
