import type { ComponentChildren } from 'preact';
import type { ListRow } from '../../domain/requests/list-queries.js';
import { STATUS_LABELS } from '../../domain/requests/workflow.js';
import type { RequestStatus } from '../../domain/vocabulary.js';
import { formatDate, formatDateTime, isoDate } from '../shared/format.js';
import { DataTable } from './table.js';

const BADGE: Record<RequestStatus, string> = {
  new: 'fr-badge--new',
  in_progress: 'fr-badge--info',
  awaiting_info: 'fr-badge--warning',
  resolved: 'fr-badge--success',
  closed: '',
};

export function StatusBadge({ status, small }: { status: RequestStatus; small?: boolean }) {
  return (
    <span class={`fr-badge fr-badge--no-icon ${BADGE[status]}${small ? ' fr-badge--sm' : ''}`.trim()}>
      {STATUS_LABELS[status]}
    </span>
  );
}

export function BlockingBadge() {
  return <span class="fr-badge fr-badge--error fr-badge--sm fr-badge--no-icon">Bloquant</span>;
}

/** The requester wrote since the reader last opened the request. */
export function UnreadBadge() {
  return <span class="fr-badge fr-badge--new fr-badge--sm fr-ml-1v">Information ajoutée</span>;
}

/**
 * The guide's list: #, Mise à jour, Sujet, Statut, Application (plus desk columns when asked).
 * `captionHidden`: a heading right above already says what the caption says; it stays for screen readers.
 * `filed`: a « Déposée le » column; `requester`: a « Demandeur » column (a structure's requests).
 */
export function RequestTable({
  caption,
  rows,
  desk,
  captionHidden,
  filed,
  requester,
  columns = [],
  headers = {},
}: {
  caption: string;
  rows: (ListRow & { createdAt?: Date })[];
  desk?: boolean;
  captionHidden?: boolean;
  filed?: boolean;
  requester?: boolean;
  /** More columns (the desk's selection and due dates); `first` puts one before « # ». */
  columns?: ExtraColumn[];
  /** Headers in place of the plain ones (the desk's sorting links). */
  headers?: { filed?: ComponentChildren; updated?: ComponentChildren };
}) {
  // The desk works to the hour; a requester reads the day.
  const when = desk ? formatDateTime : formatDate;
  const leading = columns.filter((c) => c.first);
  const trailing = columns.filter((c) => !c.first);
  return (
    <DataTable
      caption={caption}
      variant={`${captionHidden ? ' fr-table--no-caption' : ' fr-table--no-caption-mobile'} guichet-request-list`}
      tableClass="guichet-requests"
      tableRole="table"
    >
      <thead>
        <tr>
          {leading.map((c) => (
            <th scope="col" key={c.key}>
              {c.header}
            </th>
          ))}
          <th scope="col">#</th>
          {filed && <th scope="col">{headers.filed ?? 'Déposée le'}</th>}
          <th scope="col">{headers.updated ?? 'Mise à jour'}</th>
          <th scope="col">Sujet</th>
          <th scope="col">Statut</th>
          <th scope="col">Application</th>
          {(desk || requester) && <th scope="col">Demandeur</th>}
          {desk && <th scope="col">Niveau</th>}
          {desk && <th scope="col">Gestionnaire</th>}
          {trailing.map((c) => (
            <th scope="col" key={c.key}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.number} role="row">
            {leading.map((c) => (
              <ExtraCell column={c} row={r} key={c.key} />
            ))}
            <td role="cell" class="guichet-requests__number" data-label="n°">
              <a href={`/demandes/${r.number}`}>{r.number}</a>
            </td>
            {filed && (
              <td role="cell" data-label="Déposée le">
                {r.createdAt && <time dateTime={isoDate(r.createdAt)}>{when(r.createdAt)}</time>}
              </td>
            )}
            <td role="cell" data-label="Mise à jour">
              <time dateTime={isoDate(r.updatedAt)}>{when(r.updatedAt)}</time>
            </td>
            <td role="cell" class="guichet-requests__subject fr-cell--multiline">
              <a href={`/demandes/${r.number}`}>{r.subject}</a> {r.blocking && <BlockingBadge />}
              {r.unread && <UnreadBadge />}
            </td>
            <td role="cell" class="guichet-requests__status" data-label="Statut">
              <StatusBadge status={r.status} small />
              {!desk && !requester && r.status === 'awaiting_info' && (
                <p class="fr-text--xs fr-text--bold fr-mb-0 fr-mt-1v">En attente de votre réponse</p>
              )}
            </td>
            <td role="cell" data-label="Application">
              {r.applicationName}
            </td>
            {(desk || requester) && (
              <td role="cell" class="fr-cell--multiline" data-label="Demandeur">
                {r.requesterName}
              </td>
            )}
            {desk && <td role="cell" data-label="Niveau">{`N${r.level}`}</td>}
            {desk && (
              <td role="cell" class="fr-cell--multiline" data-label="Gestionnaire">
                {r.assigneeName ?? '—'}
              </td>
            )}
            {trailing.map((c) => (
              <ExtraCell column={c} row={r} key={c.key} />
            ))}
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

export type ExtraColumn = {
  key: string;
  header: ComponentChildren;
  cell: (row: ListRow) => ComponentChildren;
  first?: boolean;
  /** What names the value on a phone, where the row is a card; by default a header given as text. */
  label?: string;
};

function ExtraCell({ column, row }: { column: ExtraColumn; row: ListRow }) {
  const label = column.label ?? (typeof column.header === 'string' ? column.header : undefined);
  return (
    <td role="cell" data-label={label}>
      {column.cell(row)}
    </td>
  );
}

/** Keyset pagination: first page and next page. */
export function Pager({ base, next, first }: { base: string; next: string | null; first: boolean }) {
  if (!next && first) return null;
  const sep = base.includes('?') ? '&' : '?';
  return (
    <nav role="navigation" class="fr-pagination" aria-label="Pagination">
      <ul class="fr-pagination__list">
        <li>
          {first ? (
            <a class="fr-pagination__link fr-pagination__link--first" aria-disabled="true" role="link">
              Première page
            </a>
          ) : (
            <a class="fr-pagination__link fr-pagination__link--first" href={base}>
              Première page
            </a>
          )}
        </li>
        <li>
          {next ? (
            <a
              class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label"
              href={`${base}${sep}apres=${next}`}
            >
              Page suivante
            </a>
          ) : (
            <a
              class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label"
              aria-disabled="true"
              role="link"
            >
              Page suivante
            </a>
          )}
        </li>
      </ul>
    </nav>
  );
}
