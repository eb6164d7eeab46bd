/**
 * The layers hold: domain/, jobs/ and db/ never import web/ (nor the API); no module of src/
 * imports itself back through others (an import cycle).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const SRC = resolve(import.meta.dirname, '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** The project files a module imports (type-only imports too: they tie the modules as well). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs
    .map((spec) => resolve(dirname(file), spec).replace(/\.js$/, ''))
    .flatMap((base) => [`${base}.ts`, `${base}.tsx`].filter((p) => existsSync(p)).slice(0, 1));
}

const files = sources(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const name = (f: string) => relative(SRC, f);

test('domain/, jobs/ and db/ import nothing from web/ or api/', () => {
  const wrong = files
    .filter((f) => /^(domain|jobs|db)\//.test(name(f)))
    .flatMap((f) =>
      graph
        .get(f)!
        .filter((t) => /^(web|api)\//.test(name(t)))
        .map((t) => `${name(f)} → ${name(t)}`),
    );
  assert.deepEqual(wrong, []);
});

test('no import cycle in src/', () => {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].map(name).join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  assert.ok(files.length > 100, `${files.length} modules read`);
  assert.deepEqual(cycles, []);
});
