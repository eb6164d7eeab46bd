/**
 * Every table the portal lets people download, as files a French spreadsheet opens as is: the lists
 * (« Mes demandes », the desk queue, the staff search) and the « Pilotage » tables.
 *
 * CSV: UTF-8 with a byte order mark (without it Excel reads Windows-1252), `;` between cells (the
 * comma is the decimal separator), CRLF, decimal commas, dates « 22/01/2019 » and date-times
 * « 22/01/2019 11:55 » in Paris time. Shares are written as decimal fractions (« 0,125 »), not
 * « 12,5 % »: LibreOffice's text import reads « 12,5 % » as a number only when « Détecter les
 * nombres spéciaux » is ticked, and that box is off by default (checked on LibreOffice 7.4, French,
 * with the dialog's defaults: « 0,125 » is a number, « 12,5 % » a text); Excel reads both.
 * The ODS file carries the types itself: numbers, percentages and dates are typed cells there.
 *
 * A text a spreadsheet would run as a formula (= + - @, tab or CR first) starts with an apostrophe
 * instead, in both formats. Numbers are never text cells, so a negative number stays a number.
 */
import { Readable } from 'node:stream';
import type * as XLSX from '@e965/xlsx';
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';

export type CellKind = 'text' | 'integer' | 'decimal' | 'percent' | 'date' | 'datetime';
export type ExportColumn = { label: string; kind?: CellKind };
export type Cell = string | number | Date | null;
export type ExportTable = { title: string; columns: ExportColumn[]; rows: Cell[][] };
export type ExportFormat = 'csv' | 'ods';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};

/** The most rows a list's export holds; past it, narrow the filters. */
export const EXPORT_MAX_ROWS = 50_000;

const BOM = '\uFEFF';

let xlsx: Promise<typeof XLSX> | undefined;
/** The spreadsheet library is a megabyte of code: loaded at the first ODS export, not at every start. */
const loadXlsx = () => (xlsx ??= import('@e965/xlsx'));

/** A text cell that a spreadsheet would read as a formula gets an apostrophe first. */
export const neutralised = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

// One formatter, built once: a long export formats two dates per row.
const PARIS = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

type WallClock = { year: string; month: string; day: string; hour: string; minute: string; second: string };

/** The date and time a clock in Paris showed at `date`. */
function parisClock(date: Date): WallClock {
  const parts: Record<string, string> = {};
  for (const part of PARIS.formatToParts(date)) parts[part.type] = part.value;
  const { year = '', month = '', day = '', hour = '', minute = '', second = '' } = parts;
  return { year, month, day, hour, minute, second };
}

/** « 2026-01-22 »: today in Paris, for file names. */
export function parisDay(date: Date = new Date()): string {
  const c = parisClock(date);
  return `${c.year}-${c.month}-${c.day}`;
}

// No grouping: a spreadsheet reads « 12345,5 », not « 12 345,5 » with its narrow no-break space.
const DECIMAL = new Intl.NumberFormat('fr-FR', { useGrouping: false, maximumFractionDigits: 10 });

/** A number as French spreadsheets read it: « 12,5 », « -3 » (never « -0 »); nothing for NaN or ∞. */
function csvNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  // Some locales write U+2212 for minus; a spreadsheet reads only the hyphen-minus.
  return DECIMAL.format(value + 0).replace('\u2212', '-');
}

function csvDate(value: Date, kind: CellKind | undefined): string {
  if (Number.isNaN(value.getTime())) return '';
  const c = parisClock(value);
  const day = `${c.day}/${c.month}/${c.year}`;
  return kind === 'date' ? day : `${day} ${c.hour}:${c.minute}`;
}

/** One cell as CSV text, before quoting (csv-stringify quotes it). */
export function csvCell(value: Cell, kind?: CellKind): string {
  if (value === null) return '';
  if (value instanceof Date) return csvDate(value, kind);
  if (typeof value === 'number') return csvNumber(value);
  return neutralised(value);
}

const csvRecords = (columns: ExportColumn[], rows: Iterable<Cell[]>): string[][] =>
  Array.from(rows, (row) => row.map((cell, i) => csvCell(cell, columns[i]?.kind)));

const headerRecord = (columns: ExportColumn[]) => columns.map((c) => neutralised(c.label));

// csv-stringify quotes a cell holding `;`, `"` or the record delimiter; a lone LF or CR must be too.
const CSV_OPTIONS = { delimiter: ';', record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;

const csvOf = (records: string[][]) => stringify(records, CSV_OPTIONS);

/**
 * A small table as a CSV file: the header, then the rows. Several tables follow each other, each
 * under its title line, a blank line between them.
 */
export function csvText(tables: ExportTable | ExportTable[]): string {
  const list = Array.isArray(tables) ? tables : [tables];
  const table = list[0];
  if (list.length === 1 && table) {
    return BOM + csvOf([headerRecord(table.columns), ...csvRecords(table.columns, table.rows)]);
  }
  const records = list.flatMap((table, i) => [
    ...(i > 0 ? [[]] : []),
    [neutralised(table.title)],
    headerRecord(table.columns),
    ...csvRecords(table.columns, table.rows),
  ]);
  return BOM + csvOf(records);
}

/**
 * A long list as a CSV stream: the header, then the rows as they come, `chunkRows` per chunk. The
 * rows are pulled only as fast as the client reads, so the list is never held whole in memory.
 */
export function csvStream(columns: ExportColumn[], rows: AsyncIterable<Cell[]>, { chunkRows = 200 } = {}): Readable {
  async function* chunks() {
    yield BOM + csvOf([headerRecord(columns)]);
    let batch: Cell[][] = [];
    for await (const row of rows) {
      batch.push(row);
      if (batch.length < chunkRows) continue;
      yield csvOf(csvRecords(columns, batch));
      batch = [];
    }
    if (batch.length) yield csvOf(csvRecords(columns, batch));
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** Rows of a domain list turned into cells, one at a time (for csvStream). */
export async function* cellsOf<T>(rows: AsyncIterable<T>, toCells: (row: T) => Cell[]): AsyncGenerator<Cell[]> {
  for await (const row of rows) yield toCells(row);
}

// SheetJS's ODS writer knows only a few codes: a space in a date-time must be a quoted literal.
const ODS_FORMATS: Partial<Record<CellKind, string>> = {
  percent: '0.00%',
  date: 'dd/mm/yyyy',
  datetime: 'dd/mm/yyyy" "hh:mm',
};

/**
 * A date as a spreadsheet holds it: the wall-clock time of Paris, with no zone (SheetJS is told the
 * Date is already « UTC », so the server's own zone never shifts it).
 */
function wallClockDate(date: Date): Date {
  const c = parisClock(date);
  return new Date(Date.UTC(+c.year, +c.month - 1, +c.day, +c.hour, +c.minute, +c.second));
}

const PERCENT = new Intl.NumberFormat('fr-FR', { style: 'percent', useGrouping: false, maximumFractionDigits: 2 });

/**
 * A typed cell. `w`, the text the file also stores, is the French rendering: LibreOffice recomputes
 * it from the value and the format, but simpler viewers show it as written.
 */
function odsCell(value: Cell, kind: CellKind | undefined): XLSX.CellObject | undefined {
  if (value === null) return undefined;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    const z = kind === 'date' ? ODS_FORMATS.date : ODS_FORMATS.datetime;
    return { t: 'd', v: wallClockDate(value), z, w: csvDate(value, kind) };
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    if (kind === 'percent') return { t: 'n', v: value, z: ODS_FORMATS.percent, w: PERCENT.format(value).replace(/\s/g, ' ') };
    return { t: 'n', v: value, w: csvNumber(value) };
  }
  return { t: 's', v: neutralised(value) };
}

const FORBIDDEN_IN_SHEET_NAMES = /[[\]:*?/\\]/g;
const SHEET_NAME_MAX = 31;

/** A sheet name spreadsheets accept: 31 characters at most, none of []:*?/\, unique in the book. */
export function sheetName(title: string, taken: Set<string>): string {
  const cleaned = title
    .replace(FORBIDDEN_IN_SHEET_NAMES, ' ')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    // Excel refuses an apostrophe at either end.
    .replace(/^[\s']+|[\s']+$/g, '');
  const fit = (text: string, room: number) => (text.length > room ? `${text.slice(0, room - 1).trimEnd()}…` : text);
  const base = fit(cleaned || 'Tableau', SHEET_NAME_MAX);
  let name = base;
  // Spreadsheets compare sheet names without case.
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${fit(cleaned || 'Tableau', SHEET_NAME_MAX - 4)} (${n})`;
  taken.add(name.toLowerCase());
  return name;
}

function sheetOf(lib: typeof XLSX, table: ExportTable): XLSX.WorkSheet {
  const header = table.columns.map((c) => ({ t: 's', v: neutralised(c.label) }) satisfies XLSX.CellObject);
  const rows = table.rows.map((row) => row.map((cell, i) => odsCell(cell, table.columns[i]?.kind)));
  return lib.utils.aoa_to_sheet([header, ...rows], { UTC: true });
}

/** An ODS workbook, one sheet per table (the header in its first row, named after the table's title). */
export async function odsBuffer(tables: ExportTable[]): Promise<Buffer> {
  const lib = await loadXlsx();
  const book = lib.utils.book_new();
  const taken = new Set<string>();
  for (const table of tables) lib.utils.book_append_sheet(book, sheetOf(lib, table), sheetName(table.title, taken));
  if (!tables.length) lib.utils.book_append_sheet(book, lib.utils.aoa_to_sheet([]), 'Tableau');
  return lib.write(book, { bookType: 'ods', type: 'buffer', compression: true }) as Buffer;
}

/**
 * `content-disposition: attachment`: the name in ASCII (accents dropped, anything unsafe in a header
 * or a file system replaced), and the exact name in RFC 5987 form when it differs.
 */
export function attachmentHeader(fileName: string): string {
  const ascii =
    fileName
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/^[-.]+/, '') || 'export';
  const exact = ascii === fileName ? '' : `; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, escapeChar)}`;
  return `attachment; filename="${ascii}"${exact}`;
}

const escapeChar = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

/** The headers of every download: a file of a moment, possibly private, never cached nor sniffed. */
function downloadHeaders(reply: FastifyReply, format: ExportFormat, fileName: string): FastifyReply {
  const named = fileName.toLowerCase().endsWith(`.${format}`) ? fileName : `${fileName}.${format}`;
  return reply
    .header('content-type', CONTENT_TYPES[format])
    .header('content-disposition', attachmentHeader(named))
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff');
}

/** Sends tables as a CSV or ODS download; `fileName` gets the format's extension when it has none. */
export async function sendExport(
  reply: FastifyReply,
  format: ExportFormat,
  fileName: string,
  tables: ExportTable[],
): Promise<FastifyReply> {
  const body = format === 'csv' ? csvText(tables) : await odsBuffer(tables);
  return downloadHeaders(reply, format, fileName).send(body);
}

/** Sends a long list as a streamed CSV download (see csvStream). */
export function sendCsvStream(
  reply: FastifyReply,
  fileName: string,
  columns: ExportColumn[],
  rows: AsyncIterable<Cell[]>,
): FastifyReply {
  return downloadHeaders(reply, 'csv', fileName).send(csvStream(columns, rows));
}
