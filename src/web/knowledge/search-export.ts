/**
 * « Exporter (CSV) » of the staff search's requests: the columns the results show, every request
 * the search ranks, written by the one export module (table-export.ts).
 */

import { STATUS_LABELS } from '../../domain/requests/workflow.js';
import type { RequestHit } from '../../domain/search/request-search.js';
import type { Cell, ExportColumn } from '../shared/table-export.js';
import { FOUND_IN } from './search-results.js';

export const SEARCH_COLUMNS: ExportColumn[] = [
  { label: 'Numéro', kind: 'integer' },
  { label: 'Objet' },
  { label: 'Application' },
  { label: 'Statut' },
  { label: 'Mise à jour le', kind: 'datetime' },
  { label: 'Trouvé dans' },
];

/** One request found as a row of the file, in the columns' order. */
export const searchHitCells = (hit: RequestHit): Cell[] => [
  hit.number,
  hit.subject,
  hit.applicationName,
  STATUS_LABELS[hit.status],
  hit.updatedAt,
  `${FOUND_IN[hit.matchedIn]}${hit.internalNote ? ' (note interne)' : ''}`,
];
