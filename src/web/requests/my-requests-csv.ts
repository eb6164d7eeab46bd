/**
 * « Exporter (CSV) » of « Mes demandes », for a spreadsheet in French: UTF-8 with a byte order mark
 * (or Excel reads it as Windows-1252), `;` between cells, CRLF line ends. A cell a spreadsheet would
 * run as a formula (= + - @, tab, carriage return first) starts with an apostrophe instead.
 */
import { Readable } from 'node:stream';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { MyRow } from '../../domain/requests/my-requests.js';
import { STATUS_LABELS } from '../../domain/requests/workflow.js';

/** Paris time, in a form spreadsheets read as a date: « 22/01/2019 11:55 ». */
const csvDate = (date: Date) => format(new TZDate(date, 'Europe/Paris'), 'dd/MM/yyyy HH:mm');

export const CSV_HEADER = ['Numéro', 'Objet', 'Application', 'Statut', 'Déposée le', 'Mise à jour le'];

const BOM = '\uFEFF';

/** A cell: neutralised if a spreadsheet would read it as a formula, quoted if it holds a separator, quote or line end. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: string[]) => `${cells.map(csvCell).join(';')}\r\n`;

const rowCells = (r: MyRow) => [
  String(r.number),
  r.subject,
  r.applicationName,
  STATUS_LABELS[r.status],
  csvDate(r.createdAt),
  csvDate(r.updatedAt),
];

/** The file as a stream: the header, then the rows as they come, a few hundred lines per chunk. */
export function csvStream(rows: AsyncIterable<MyRow>, chunkLines = 200): Readable {
  async function* lines() {
    yield BOM + csvLine(CSV_HEADER);
    let chunk = '';
    let n = 0;
    for await (const row of rows) {
      chunk += csvLine(rowCells(row));
      if (++n % chunkLines === 0) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  return Readable.from(lines());
}
