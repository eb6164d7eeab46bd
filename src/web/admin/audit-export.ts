/** « Exporter (CSV) » of the audit trail: what the page shows, and the details, through table-export.ts. */
import { displayName } from '../../domain/accounts/actors.js';
import type { AuditRow } from '../../domain/audit/search.js';
import type { Cell, ExportColumn } from '../shared/table-export.js';
import { auditActionLabel, auditTarget } from './audit-labels.js';

export const AUDIT_COLUMNS: ExportColumn[] = [
  { label: 'Date', kind: 'datetime' },
  { label: 'Personne' },
  { label: 'Action' },
  { label: 'Objet' },
  { label: 'Adresse IP' },
  { label: 'Détails' },
];

/** Who acted, as the page and the file name them: « Claire MARTIN (cmartin) »; null for nobody. */
export function auditPerson(row: Pick<AuditRow, 'login' | 'firstName' | 'lastName'>): string | null {
  if (!row.login) return null;
  return row.firstName !== null && row.lastName !== null
    ? `${displayName({ firstName: row.firstName, lastName: row.lastName })} (${row.login})`
    : row.login;
}

const detailsText = (details: unknown) =>
  details && typeof details === 'object' && Object.keys(details).length ? JSON.stringify(details) : null;

/** One entry as a row of the file, in the columns' order. */
export const auditCells = (row: AuditRow): Cell[] => [
  row.at,
  auditPerson(row),
  auditActionLabel(row.action),
  auditTarget(row.target)?.text ?? null,
  row.ip,
  detailsText(row.details),
];
