/**
 * docs/benchmarks.md is made of sections written by separate runs: each run replaces its own
 * sections and keeps the others (the PostgreSQL run and the embedded run do not erase each other).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { LineResult } from './load.js';

const FILE = 'docs/benchmarks.md';

/** Sections in the order of the file, known by how their heading starts. */
const ORDER = [
  'Start-up',
  'Page weight',
  'Compression of pages',
  'PostgreSQL',
  'Base embarquée',
  'Known and unknown identities',
  'Search latency',
];
/** Sections of earlier versions of the benchmark, now replaced by the per-database sections. */
const RETIRED = ['Pages ('];

const PREAMBLE = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (load on the pages, one section per database), `npm run bench:weight` (Lighthouse and compression) and `npx tsx bench/search.ts` (search latency). Each section says when and on what it was measured; a run replaces only its own sections.',
  '',
].join('\n');

export function machine(): string {
  return `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`;
}

export const frenchNumber = (n: number) =>
  Math.round(n)
    .toLocaleString('fr-FR')
    .replace(/\u202f/g, ' ');

export const loadNow = () => (loadavg()[0] ?? 0).toFixed(1);

/** Replaces the sections whose heading starts with a given key; keeps every other section. */
export function writeSections(replacements: Record<string, string>, file = FILE): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const sections = new Map<string, string>();
  const others: string[] = [];
  for (const chunk of text.split(/^(?=## )/m).slice(1)) {
    const heading = chunk.slice(3);
    const key = ORDER.find((k) => heading.startsWith(k));
    if (key) sections.set(key, chunk.trimEnd());
    else if (!RETIRED.some((k) => heading.startsWith(k))) others.push(chunk.trimEnd());
  }
  for (const [key, section] of Object.entries(replacements)) sections.set(key, section.trimEnd());
  const ordered = ORDER.flatMap((k) => (sections.has(k) ? [sections.get(k)!] : []));
  const last = ordered.at(-1)?.startsWith('## Search latency') ? ordered.pop() : undefined;
  writeFileSync(file, `${[PREAMBLE.trimEnd(), ...ordered, ...others, ...(last ? [last] : [])].join('\n\n')}\n`);
}

export type Line = { page: string; results: Map<number, LineResult> };

const ms = (n: number) => (n < 10 ? n.toFixed(1) : String(Math.round(n)));

/** A table per connection count; a line without any response in its time shows no latency. */
export function tables(lines: Line[], connections: number[], seconds: number): string[] {
  const cells = (r: LineResult | undefined) => {
    if (!r) return '— | — | — | — | — | —';
    const latency = r.count ? `${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)}` : '— | — | —';
    return `${r.count} | ${r.rps.toFixed(r.rps < 10 ? 1 : 0)} | ${latency} | ${r.errors}`;
  };
  return connections.flatMap((c) => [
    `### ${c} connexions simultanées (${seconds} s par ligne)`,
    '',
    '| page | réponses | requêtes/s | p50 (ms) | p95 (ms) | p99 (ms) | erreurs |',
    '|---|---|---|---|---|---|---|',
    ...lines.map((line) => `| ${line.page} | ${cells(line.results.get(c))} |`),
    '',
    ...errorNotes(lines, c),
  ]);
}

/** What the errors were, for the lines that had some. */
function errorNotes(lines: Line[], connections: number): string[] {
  const notes = lines.flatMap((line) => {
    const kinds = Object.entries(line.results.get(connections)?.errorKinds ?? {});
    return kinds.length ? [`${line.page} : ${kinds.map(([kind, n]) => `${n} × ${kind}`).join(', ')}`] : [];
  });
  return notes.length ? [`Erreurs : ${notes.join(' ; ')}.`, ''] : [];
}
