/**
 * « Exporter (CSV) » of « Mes demandes »: the list's columns, written by the one export module
 * (table-export.ts: BOM, `;`, CRLF, Paris dates, formulas neutralised).
 */
import type { MyRow } from '../../domain/requests/my-requests.js';
import { STATUS_LABELS } from '../../domain/requests/workflow.js';
import type { Cell, ExportColumn } from '../shared/table-export.js';

export const MY_REQUESTS_COLUMNS: ExportColumn[] = [
  { label: 'Numéro', kind: 'integer' },
  { label: 'Objet' },
  { label: 'Application' },
  { label: 'Statut' },
  { label: 'Déposée le', kind: 'datetime' },
  { label: 'Mise à jour le', kind: 'datetime' },
];

/** One request as a row of the file, in the columns' order. */
export const myRequestCells = (r: MyRow): Cell[] => [
  r.number,
  r.subject,
  r.applicationName,
  STATUS_LABELS[r.status],
  r.createdAt,
  r.updatedAt,
];
