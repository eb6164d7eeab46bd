/**
 * « Exporter (CSV) » of the desk queue: the columns the queue shows (its due cell split into what is
 * due, when, and the badge's words), written by the one export module (table-export.ts).
 */
import type { ListRow } from '../../domain/requests/list-queries.js';
import { STATUS_LABELS } from '../../domain/requests/workflow.js';
import type { Cell, ExportColumn } from '../shared/table-export.js';
import { DUE_STATE_LABELS, DUE_TARGET_LABELS } from './service-level.js';

export const QUEUE_COLUMNS: ExportColumn[] = [
  { label: 'Numéro', kind: 'integer' },
  { label: 'Objet' },
  { label: 'Bloquant' },
  { label: 'Application' },
  { label: 'Statut' },
  { label: 'Niveau' },
  { label: 'Demandeur' },
  { label: 'Gestionnaire' },
  { label: 'Mise à jour le', kind: 'datetime' },
  { label: 'Échéance' },
  { label: 'Échéance le', kind: 'datetime' },
  { label: 'État de l’échéance' },
];

/** One request of the queue as a row of the file, in the columns' order. */
export const queueCells = (r: ListRow): Cell[] => [
  r.number,
  r.subject,
  r.blocking ? 'Oui' : 'Non',
  r.applicationName,
  STATUS_LABELS[r.status],
  `N${r.level}`,
  r.requesterName,
  r.assigneeName,
  r.updatedAt,
  r.due ? DUE_TARGET_LABELS[r.due.target] : null,
  r.due?.at ?? null,
  r.due ? DUE_STATE_LABELS[r.due.state] : null,
];
