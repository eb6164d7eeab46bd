/**
 * The export module: CSV as French spreadsheets read it (BOM, `;`, CRLF, decimal commas, Paris
 * dates, shares as fractions, formulas neutralised, quoting), the stream in chunks, the ODS file
 * read back with the same library (types, values, sheet names), and the download headers.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as XLSX from '@e965/xlsx';
import Fastify from 'fastify';
import {
  attachmentHeader,
  type Cell,
  cellsOf,
  csvStream,
  csvText,
  type ExportTable,
  neutralised,
  odsBuffer,
  sendExport,
  sheetName,
} from './table-export.js';

const TABLE: ExportTable = {
  title: 'Demandes par application',
  columns: [
    { label: 'Application' },
    { label: 'Demandes', kind: 'integer' },
    { label: 'Délai (heures)', kind: 'decimal' },
    { label: 'Part', kind: 'percent' },
    { label: 'Jour', kind: 'date' },
    { label: 'Mise à jour le', kind: 'datetime' },
  ],
  rows: [
    // 23:30 UTC on 4 February is already the 5th in Paris (winter, +1); 21:55 UTC in July is 23:55 (+2).
    ['CERES', 12, 12.5, 0.125, new Date('2026-02-04T23:30:00Z'), new Date('2026-07-01T21:55:00Z')],
    ['=HYPERLINK("http://x")', -3, -0.25, 1, null, null],
    ['Édition ; "PDF"\nvide', 0, null, null, null, null],
  ],
};

const lines = (csv: string) => csv.slice(1).split('\r\n');

async function collect(stream: NodeJS.ReadableStream): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of stream) chunks.push(String(chunk));
  return chunks;
}

describe('CSV', () => {
  test('BOM, `;`, CRLF, French decimals, shares as fractions, Paris dates', () => {
    const csv = csvText(TABLE);
    assert.ok(csv.startsWith('\uFEFF'));
    const [header, first, second] = lines(csv);
    assert.equal(header, 'Application;Demandes;Délai (heures);Part;Jour;Mise à jour le');
    assert.equal(first, 'CERES;12;12,5;0,125;05/02/2026;01/07/2026 23:55');
    assert.equal(second?.split(';').slice(1, 4).join(';'), '-3;-0,25;1', 'negative numbers stay numbers');
    assert.ok(csv.endsWith('\r\n'));
  });

  test('a text a spreadsheet would run is neutralised; separators, quotes and line ends are quoted', () => {
    const csv = csvText(TABLE);
    assert.match(csv, /\r\n"'=HYPERLINK\(""http:\/\/x""\)";-3;/);
    assert.match(csv, /\r\n"Édition ; ""PDF""\nvide";0;;;;\r\n$/);
    for (const start of ['=', '+', '-', '@', '\t', '\r']) assert.equal(neutralised(`${start}1`), `'${start}1`);
    for (const safe of ['1', 'a=b', ' =1', '']) assert.equal(neutralised(safe), safe);
    const header = csvText({ title: 't', columns: [{ label: '=cmd' }], rows: [[-5]] });
    assert.equal(header, "\uFEFF'=cmd\r\n-5\r\n", 'labels too; a negative number is no text');
  });

  test('nothing odd for -0, NaN, infinity or an invalid date', () => {
    const csv = csvText({
      title: 't',
      columns: [{ label: 'a', kind: 'decimal' }, { label: 'b' }, { label: 'c' }, { label: 'd', kind: 'date' }],
      rows: [[-0, Number.NaN, Number.POSITIVE_INFINITY, new Date('x')]],
    });
    assert.equal(lines(csv)[1], '0;;;');
  });

  test('several tables: each under its title, a blank line between', () => {
    const small = (title: string, value: number): ExportTable => ({ title, columns: [{ label: 'n' }], rows: [[value]] });
    assert.equal(csvText([small('Premier', 1), small('@Second', 2)]), "\uFEFFPremier\r\nn\r\n1\r\n\r\n'@Second\r\nn\r\n2\r\n");
    assert.equal(csvText([small('Seul', 1)]), '\uFEFFn\r\n1\r\n', 'one table: no title line');
  });

  test('the stream writes what csvText writes, in chunks of rows', async () => {
    async function* rows() {
      for (let i = 0; i < 7; i++) yield* TABLE.rows;
    }
    const chunks = await collect(csvStream(TABLE.columns, rows(), { chunkRows: 5 }));
    assert.equal(chunks.length, 1 + Math.ceil(21 / 5), 'the header, then 5 rows per chunk');
    const whole = csvText({ ...TABLE, rows: Array.from({ length: 7 }, () => TABLE.rows).flat() });
    assert.equal(chunks.join(''), whole);
    const empty = await collect(csvStream(TABLE.columns, (async function* () {})()));
    assert.equal(empty.join(''), `\uFEFF${lines(csvText(TABLE))[0]}\r\n`, 'an empty list: the header');
  });

  test('cellsOf turns domain rows into cells', async () => {
    async function* numbers() {
      yield* [1, 2];
    }
    const out: Cell[][] = [];
    for await (const row of cellsOf(numbers(), (n) => [n, `n° ${n}`])) out.push(row);
    assert.deepEqual(out, [
      [1, 'n° 1'],
      [2, 'n° 2'],
    ]);
  });
});

describe('ODS', () => {
  const read = async (tables: ExportTable[]) => XLSX.read(await odsBuffer(tables), { cellDates: true });

  test('typed cells: numbers, percentages, dates in Paris time; texts neutralised', async () => {
    const book = await read([TABLE]);
    assert.deepEqual(book.SheetNames, ['Demandes par application']);
    const sheet = book.Sheets[book.SheetNames[0]!]!;
    const cell = (ref: string) => sheet[ref] as XLSX.CellObject | undefined;
    assert.deepEqual([cell('A1')?.t, cell('A1')?.v, cell('F1')?.v], ['s', 'Application', 'Mise à jour le']);
    assert.deepEqual([cell('B2')?.t, cell('B2')?.v], ['n', 12]);
    assert.deepEqual([cell('C2')?.t, cell('C2')?.v], ['n', 12.5]);
    assert.deepEqual([cell('D2')?.t, cell('D2')?.v], ['n', 0.125]);
    assert.match(String(cell('D2')?.z), /%/, 'a share is a percentage');
    assert.deepEqual([cell('B3')?.t, cell('B3')?.v], ['n', -3]);
    assert.equal(cell('E2')?.t, 'd');
    // A spreadsheet date has no zone: it holds what a clock in Paris showed.
    assert.equal(new Date(cell('E2')?.v as Date).toISOString(), '2026-02-05T00:30:00.000Z');
    assert.equal(new Date(cell('F2')?.v as Date).toISOString(), '2026-07-01T23:55:00.000Z');
    assert.deepEqual([cell('A3')?.t, cell('A3')?.v], ['s', '\'=HYPERLINK("http://x")']);
    assert.equal(cell('A4')?.v, 'Édition ; "PDF"\nvide');
    assert.equal(cell('C4'), undefined, 'an empty cell stays empty');
  });

  test('one sheet per table, named within the spreadsheets’ rules', async () => {
    const table = (title: string): ExportTable => ({ title, columns: [{ label: 'n' }], rows: [[1]] });
    const book = await read([
      table('Délai : médiane [h] / 90e centile ? *'),
      table('x'.repeat(40)),
      table('X'.repeat(40)),
      table(''),
    ]);
    assert.equal(book.SheetNames.length, 4);
    for (const name of book.SheetNames) {
      assert.ok(name.length <= 31, name);
      assert.doesNotMatch(name, /[[\]:*?/\\]/);
    }
    assert.equal(new Set(book.SheetNames.map((n) => n.toLowerCase())).size, 4, 'unique, whatever the case');
    assert.equal(book.SheetNames[0], 'Délai médiane h 90e centile');
    assert.equal(book.SheetNames[3], 'Tableau');
  });

  test('sheetName: shortened with an ellipsis, numbered when taken, no apostrophe at either end', () => {
    const taken = new Set<string>();
    assert.equal(sheetName('Par type de problème', taken), 'Par type de problème');
    assert.equal(sheetName('par type de problème', taken), 'par type de problème (2)');
    const long = sheetName('Délai de première réponse par application (heures ouvrées)', taken);
    assert.ok(long.length <= 31 && long.endsWith('…'), long);
    assert.equal(sheetName("'Cité'", taken), 'Cité');
  });
});

describe('download', () => {
  test('content-disposition: ASCII as is; otherwise an ASCII fallback and the exact name (RFC 5987)', () => {
    assert.equal(attachmentHeader('guichet-2026-01-22.csv'), 'attachment; filename="guichet-2026-01-22.csv"');
    assert.equal(
      attachmentHeader('Délais « été ».ods'),
      `attachment; filename="Delais-ete-.ods"; filename*=UTF-8''D%C3%A9lais%20%C2%AB%20%C3%A9t%C3%A9%20%C2%BB.ods`,
    );
    // Quotes, line ends, `;` and path separators never reach the header as they are.
    const hostile = attachmentHeader('a"\r\nSet-Cookie: x=1;\\..\\b.csv');
    assert.equal(
      hostile,
      `attachment; filename="a-Set-Cookie-x-1-.-b.csv"; filename*=UTF-8''a%22%0D%0ASet-Cookie%3A%20x%3D1%3B%5C..%5Cb.csv`,
    );
  });

  test('sendExport: type, attachment with the extension, no-store, nosniff', async () => {
    const app = Fastify();
    app.get('/csv', (_request, reply) => sendExport(reply, 'csv', 'pilotage-tableaux', [TABLE, TABLE]));
    app.get('/ods', (_request, reply) => sendExport(reply, 'ods', 'pilotage.ods', [TABLE]));
    const csv = await app.inject('/csv');
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(csv.headers['content-disposition'], 'attachment; filename="pilotage-tableaux.csv"');
    assert.equal(csv.headers['cache-control'], 'no-store');
    assert.equal(csv.headers['x-content-type-options'], 'nosniff');
    assert.ok(csv.body.startsWith('\uFEFFDemandes par application\r\nApplication;'));
    const ods = await app.inject('/ods');
    assert.equal(ods.headers['content-type'], 'application/vnd.oasis.opendocument.spreadsheet');
    assert.equal(ods.headers['content-disposition'], 'attachment; filename="pilotage.ods"');
    assert.equal(XLSX.read(ods.rawPayload).SheetNames[0], 'Demandes par application');
    await app.close();
  });
});
