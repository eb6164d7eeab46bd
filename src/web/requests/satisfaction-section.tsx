import { RATING_LABELS, RATINGS, surveyOffered } from '../../domain/requests/commands/satisfaction.js';
import type { RequestView } from '../../domain/requests/queries.js';
import { Csrf, ErrorSummary, emptyForm, type FormState, RadioGroup, Textarea } from '../components/form.js';
import { formatDateTime, isoDate } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';

/** COMMENT_MAX as people read it. */
const COMMENT_LIMIT = '1 000';

const SURVEY_TITLE = 'Votre avis sur le traitement de cette demande (facultatif)';

export const ratingLabel = (rating: number) => `${rating} – ${RATING_LABELS[rating]}`;

/**
 * The satisfaction survey of a closed request: the form for its requester (once), their answer
 * afterwards; staff read the answer. Colleagues who see the request through their structure see nothing.
 */
export function SatisfactionSection({ ctx, request, form }: { ctx: ViewContext; request: RequestView; form?: FormState }) {
  const actor = ctx.actor;
  if (!actor) return null;
  const own = actor.role === 'requester' && actor.id === request.requesterId;
  const answer = request.satisfaction;
  if (answer) {
    if (!own && actor.role === 'requester') return null;
    return (
      <section class="fr-mt-4w" id="avis" aria-labelledby="survey-title">
        <h2 id="survey-title" class="fr-h4">
          {own ? 'Votre avis sur le traitement de cette demande' : 'Avis du demandeur'}
        </h2>
        {own && <p class="fr-text--bold">Merci pour votre avis.</p>}
        <p class="fr-mb-1w">
          {'Note : '}
          <strong>{ratingLabel(answer.rating)}</strong>
          {' (sur 5), donnée le '}
          <time dateTime={isoDate(answer.at)}>{formatDateTime(answer.at)}</time>
        </p>
        {answer.comment && (
          <>
            <p class="fr-mb-1w">Commentaire :</p>
            <div class="guichet-text">{answer.comment}</div>
          </>
        )}
      </section>
    );
  }
  if (!surveyOffered(actor, { ...request, satisfaction: null }, ctx.settings)) return null;
  return <SurveyForm ctx={ctx} number={request.number} form={form ?? emptyForm()} />;
}

function SurveyForm({ ctx, number, form }: { ctx: ViewContext; number: number; form: FormState }) {
  return (
    <section class="fr-mt-4w" id="avis" aria-labelledby="survey-title">
      <h2 id="survey-title" class="fr-h4">
        {SURVEY_TITLE}
      </h2>
      <form method="post" action={`/demandes/${number}/avis`} aria-labelledby="survey-title" novalidate>
        <Csrf token={ctx.csrfToken} />
        <ErrorSummary form={form} labels={{ rating: ['Note', 'rating-1'], comment: ['Commentaire', 'survey-comment'] }} />
        <RadioGroup
          form={form}
          name="rating"
          legend="Êtes-vous satisfait du traitement de votre demande ?"
          options={RATINGS.map((r) => ({ value: String(r), label: ratingLabel(r) }))}
        />
        <Textarea
          form={form}
          name="comment"
          id="survey-comment"
          label="Commentaire"
          hint={`Facultatif. ${COMMENT_LIMIT} caractères au plus.`}
          rows={4}
        />
        <button class="fr-btn fr-mt-1w" type="submit">
          Envoyer mon avis
        </button>
      </form>
    </section>
  );
}
