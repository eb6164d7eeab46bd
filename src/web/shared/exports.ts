/**
 * Tables as files a French spreadsheet opens as is. CSV: UTF-8 with a byte order mark (or Excel
 * reads Windows-1252), `;` between cells, CRLF, decimal commas, dates as « 22/01/2019 » in Paris
 * time, percentages as « 12,5 % » (LibreOffice and Excel in French read both as numbers). ODS,
 * the open format of the State's interoperability framework, through SheetJS: numbers, dates and
 * percentages typed. A text a spreadsheet would run as a formula (= + - @, tab or CR first) starts
 * with an apostrophe instead, in both.
 */
import { TZDate } from '@date-fns/tz';
import * as XLSX from '@e965/xlsx';
import { stringify } from 'csv-stringify/sync';
import { format } from 'date-fns';
import type { FastifyReply } from 'fastify';

export type CellKind = 'text' | 'integer' | 'decimal' | 'percent' | 'date' | 'datetime';
export type ExportColumn = { label: string; kind?: CellKind };
export type Cell = string | number | Date | null;
export type ExportTable = { title: string; columns: ExportColumn[]; rows: Cell[][] };
export type ExportFormat = 'csv' | 'ods';

const BOM = '\uFEFF';
const ZONE = 'Europe/Paris';
const DECIMAL = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2, useGrouping: false });
const PERCENT = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1, useGrouping: false });

/** A text cell that a spreadsheet would read as a formula gets an apostrophe first. */
export const neutralised = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

function csvCell(value: Cell, kind: CellKind = 'text'): string {
  if (value === null) return '';
  if (value instanceof Date) return format(new TZDate(value, ZONE), kind === 'datetime' ? 'dd/MM/yyyy HH:mm' : 'dd/MM/yyyy');
  if (typeof value === 'number')
    // Intl writes a narrow no-break space before « % »: a plain space is what spreadsheets parse.
    return (kind === 'percent' ? PERCENT.format(value) : DECIMAL.format(value)).replace(/\s/g, ' ');
  return neutralised(value);
}

const csvRows = (columns: ExportColumn[], rows: Cell[][]) =>
  rows.map((row) => row.map((cell, i) => csvCell(cell, columns[i]?.kind)));

const csvOf = (records: string[][]) => stringify(records, { delimiter: ';', record_delimiter: 'windows' });

/** One table, or several one after the other (each under its title, a blank line between). */
export function csvText(tables: ExportTable[]): string {
  if (tables.length === 1 && tables[0]) {
    const [table] = tables;
    return BOM + csvOf([table.columns.map((c) => neutralised(c.label)), ...csvRows(table.columns, table.rows)]);
  }
  const records: string[][] = [];
  tables.forEach((table, i) => {
    if (i > 0) records.push([]);
    records.push(
      [neutralised(table.title)],
      table.columns.map((c) => neutralised(c.label)),
      ...csvRows(table.columns, table.rows),
    );
  });
  return BOM + csvOf(records);
}

/** A sheet name: 31 characters at most, none of []:*?/\, unique in the book. */
function sheetName(title: string, taken: Set<string>): string {
  const base =
    title
      .replace(/[[\]:*?/\\]/g, ' ')
      .slice(0, 28)
      .trim() || 'Tableau';
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base.slice(0, 27)} ${i}`;
  taken.add(name.toLowerCase());
  return name;
}

const ODS_FORMATS: Partial<Record<CellKind, string>> = {
  percent: '0.0%',
  decimal: '0.0',
  integer: '0',
  date: 'dd/mm/yyyy',
  datetime: 'dd/mm/yyyy hh:mm',
};

/** One sheet per table: the title, the header, the rows, each cell typed. */
export function odsBuffer(tables: ExportTable[]): Buffer {
  const book = XLSX.utils.book_new();
  const taken = new Set<string>();
  for (const table of tables) {
    const data: Cell[][] = [
      [neutralised(table.title)],
      table.columns.map((c) => neutralised(c.label)),
      ...table.rows.map((row) => row.map((cell) => (typeof cell === 'string' ? neutralised(cell) : cell))),
    ];
    const sheet = XLSX.utils.aoa_to_sheet(data, { cellDates: true });
    table.columns.forEach((column, c) => {
      const z = column.kind && ODS_FORMATS[column.kind];
      if (!z) return;
      for (let r = 2; r < data.length; r++) {
        const cell = sheet[XLSX.utils.encode_cell({ r, c })];
        if (cell && cell.t !== 's') cell.z = z;
      }
    });
    XLSX.utils.book_append_sheet(book, sheet, sheetName(table.title, taken));
  }
  return XLSX.write(book, { bookType: 'ods', type: 'buffer', cellDates: true }) as Buffer;
}

const TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};

/** `content-disposition` with an ASCII name, and the exact one for browsers that read RFC 5987. */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName
    .normalize('NFD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/-+/g, '-');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Sends the tables as a download, never cached (figures of a moment, possibly private). */
export function sendExport(reply: FastifyReply, fileFormat: ExportFormat, baseName: string, tables: ExportTable[]) {
  const body = fileFormat === 'csv' ? csvText(tables) : odsBuffer(tables);
  return reply
    .header('content-type', TYPES[fileFormat])
    .header('content-disposition', attachmentHeader(`${baseName}.${fileFormat}`))
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(body);
}
