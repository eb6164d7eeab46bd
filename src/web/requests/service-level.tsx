import type { RequestView } from '../../domain/requests/queries.js';
import type { Due, DueState, Target } from '../../domain/requests/service-level.js';
import { FactsTable } from '../components/table.js';
import { formatDateTime, isoDate } from '../shared/format.js';

/** What is due, as the queue and its export name it. */
export const DUE_TARGET_LABELS: Record<Target, string> = { firstResponse: 'Première réponse', resolution: 'Résolution' };

/** The badge's words (none on time), shared by the queue and its export. */
export const DUE_STATE_LABELS: Record<DueState, string | null> = {
  late: 'En retard',
  soon: 'Bientôt en retard',
  paused: 'Suspendu',
  on_time: null,
};

const BADGE_TONES: Record<Exclude<DueState, 'on_time'>, string> = {
  late: 'fr-badge--error',
  soon: 'fr-badge--warning',
  paused: 'fr-badge--info',
};

/** « En retard », « Bientôt en retard » or « Suspendu »: text, never colour alone. */
export function DueBadge({ due }: { due: Due | null | undefined }) {
  if (!due || due.state === 'on_time') return null;
  return <span class={`fr-badge fr-badge--sm fr-badge--no-icon ${BADGE_TONES[due.state]}`}>{DUE_STATE_LABELS[due.state]}</span>;
}

function DueDate({ at }: { at: Date }) {
  return <time dateTime={isoDate(at)}>{formatDateTime(at)}</time>;
}

/** The queue's « Échéance » cell: what is due next, when, and the badge. */
export function DueCell({ due }: { due: Due | null | undefined }) {
  if (!due) return <>—</>;
  return (
    <>
      <span class="fr-hint-text">{DUE_TARGET_LABELS[due.target]}</span> <DueDate at={due.at} /> <DueBadge due={due} />
    </>
  );
}

/** The request page's service level, for staff: both due dates, when they were met, the badge. */
export function ServiceLevelFacts({ request }: { request: RequestView }) {
  const sl = request.serviceLevel;
  if (!sl || (!sl.firstResponseDueAt && !sl.resolutionDueAt)) return null;
  const line = (due: Date | null, done: Date | null, target: Target) => {
    if (!due) return '—';
    return (
      <>
        {'Attendue le '}
        <DueDate at={due} />
        {done ? (
          <>
            {', faite le '}
            <DueDate at={done} />
            {done.getTime() > due.getTime() ? ' (en retard)' : ''}
          </>
        ) : (
          sl.due?.target === target && (
            <>
              {' '}
              <DueBadge due={sl.due} />
            </>
          )
        )}
      </>
    );
  };
  const rows: [string, preact.ComponentChildren][] = [
    ['Première réponse', line(sl.firstResponseDueAt, sl.firstResponseAt, 'firstResponse')],
    ['Résolution', line(sl.resolutionDueAt, sl.resolvedAt, 'resolution')],
  ];
  if (sl.pausedSince) rows.push(['Délais suspendus depuis', <DueDate at={sl.pausedSince} key="p" />]);
  return (
    <section class="fr-mb-2w" aria-labelledby="service-level-title">
      <h2 id="service-level-title" class="fr-h6 fr-mb-1w">
        Délais de traitement
      </h2>
      <FactsTable caption="Délais de traitement de la demande (temps ouvré)" rows={rows} />
    </section>
  );
}
