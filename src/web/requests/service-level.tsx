import type { RequestView } from '../../domain/requests/queries.js';
import type { Due, Target } from '../../domain/requests/service-level.js';
import { FactsTable } from '../components/table.js';
import { formatDateTime, isoDate } from '../shared/format.js';

const TARGETS: Record<Target, string> = { firstResponse: 'Première réponse', resolution: 'Résolution' };

/** « En retard », « Bientôt en retard » or « Suspendu »: text, never colour alone. */
export function DueBadge({ due }: { due: Due | null | undefined }) {
  if (!due || due.state === 'on_time') return null;
  const [modifier, label] =
    due.state === 'late'
      ? ['fr-badge--error', 'En retard']
      : due.state === 'soon'
        ? ['fr-badge--warning', 'Bientôt en retard']
        : ['fr-badge--info', 'Suspendu'];
  return <span class={`fr-badge fr-badge--sm fr-badge--no-icon ${modifier}`}>{label}</span>;
}

function DueDate({ at }: { at: Date }) {
  return <time dateTime={isoDate(at)}>{formatDateTime(at)}</time>;
}

/** The queue's « Échéance » cell: what is due next, when, and the badge. */
export function DueCell({ due }: { due: Due | null | undefined }) {
  if (!due) return <>—</>;
  return (
    <>
      <span class="fr-hint-text">{TARGETS[due.target]}</span> <DueDate at={due.at} /> <DueBadge due={due} />
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
