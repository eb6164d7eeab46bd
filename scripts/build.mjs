/**
 * Compiles src/ to dist/ so that production runs plain Node: no TypeScript loader in memory, no
 * compilation at start. What a start loads is bundled, the libraries with it: Node then reads a
 * few files instead of some 1,300 and resolves no package, which halves the time a start spends
 * loading code. Libraries only some paths load later (`import('…')` in the sources), those that
 * read their own files (PGlite's WebAssembly, argon2's native module) stay in node_modules.
 * Types are checked separately (`npm run typecheck`).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import zlib from 'node:zlib';
import { outdated, stamp } from './fingerprint.mjs';

const sources = readdirSync('src', { recursive: true, withFileTypes: true })
  .filter((f) => f.isFile() && /\.tsx?$/.test(f.name) && !/\.test\.tsx?$/.test(f.name))
  .map((f) => join(f.parentPath, f.name));

const fingerprint = outdated();
if (!fingerprint) process.exit(0);

// The tools are loaded only when there is something to build: they take longer to load than the check.
const [{ build }, { PurgeCSS }] = await Promise.all([import('esbuild'), import('purgecss')]);
rmSync('dist', { recursive: true, force: true });
const sourceTexts = sources.map((file) => readFileSync(file, 'utf8')).concat(readFileSync('public/app.js', 'utf8'));
const loadedLater = sourceTexts.flatMap((text) => [...text.matchAll(/\bimport\('([^.'][^']*)'\)/g)].map((m) => m[1]));
await build({
  // The server, and the asset rules this script reads below.
  entryPoints: ['src/server.ts', 'src/web/plugins/assets.ts'],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  // One file per entry: split chunks would give a library's import() of a CommonJS module a bare default.
  external: [...new Set(loadedLater), '@electric-sql/pglite', '@node-rs/argon2', 'pg-native'],
  // A bundled CommonJS library may still call require() at run time.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  logLevel: 'warning',
});
// Files read at run time next to the code.
cpSync('src/db/migrations', 'dist/db/migrations', { recursive: true });
for (const f of readdirSync('src/jobs').filter((n) => n.endsWith('.mjs'))) cpSync(join('src/jobs', f), join('dist/jobs', f));

/** Class roots of the DSFR's utilities: only the classes the sources name are kept. */
const UTILITY_ROOTS = [
  'm',
  'mb',
  'mt',
  'ml',
  'mr',
  'mx',
  'my',
  'p',
  'pb',
  'pt',
  'pl',
  'pr',
  'px',
  'py',
  'col',
  'grid',
  'icon',
  'fi',
  'text',
  'h',
  'sr',
  'hr',
  'raw',
  'background',
  'container',
  'display',
  'artwork',
  'cell',
  'enlarge',
  'responsive',
  'mask',
  'unhidden',
  'hidden',
];

// Brotli and gzip copies of the text files pages load, under their content version (see src/web/plugins/assets.ts).
const assets = await import('../dist/web/plugins/assets.js');
const targets = [
  ['dsfr', assets.dsfrDist, assets.precompressedDsfrFiles],
  ['public', assets.publicDir, readdirSync(assets.publicDir)],
];
for (const [kind, source, files] of targets) {
  const out = assets.precompressedDir(kind);
  for (const file of files) {
    const data = kind === 'dsfr' && file.endsWith('.css') ? await usedCss(join(source, file)) : readFileSync(join(source, file));
    mkdirSync(dirname(join(out, file)), { recursive: true });
    writeFileSync(join(out, file), data);
    const brotli = {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    };
    writeFileSync(join(out, `${file}.br`), zlib.brotliCompressSync(data, brotli));
    writeFileSync(join(out, `${file}.gz`), zlib.gzipSync(data, { level: 9 }));
  }
}
writeFileSync(stamp, fingerprint);

/**
 * The DSFR's style sheet without the rules no page can use (five sixths of it), from its modern
 * build (no rules for browsers without custom properties) and without the italic faces, which no
 * page asks for. A component the pages name keeps all its rules: the DSFR's script adds classes
 * and attributes it composes (« collapse » + « --expanded »), that no search of the sources would find. Other
 * classes (spacing, grid, icons) are kept when a source names them.
 */
async function usedCss(file) {
  const modern = file.replace(/\.min\.css$/, '.main.min.css');
  const roots = new Set(sourceTexts.flatMap((text) => [...text.matchAll(/\bfr-([a-z0-9]+)/g)].map((m) => m[1])));
  for (const utility of UTILITY_ROOTS) roots.delete(utility);
  const dsfrScript = readFileSync(join(assets.dsfrDist, 'dsfr.module.min.js'), 'utf8');
  const [result] = await new PurgeCSS().purge({
    css: [{ raw: readFileSync(existsSync(modern) ? modern : file, 'utf8') }],
    content: [
      ...sourceTexts.map((raw) => ({ raw, extension: 'tsx' })),
      // The script names classes without their « fr- » prefix (ns.selector("collapse")).
      { raw: dsfrScript, extension: 'dsfrjs' },
    ],
    extractors: [{ extensions: ['dsfrjs'], extractor: (text) => (text.match(/[\w-]+/g) ?? []).flatMap((w) => [w, `fr-${w}`]) }],
    safelist: {
      standard: [new RegExp(`^fr-(${[...roots].join('|')})([_-]|$)`)],
      // The script marks what it has set up with attributes it composes too (data-fr-js-table).
      greedy: [/data-fr-/],
    },
  });
  return Buffer.from(result.css.replace(/@font-face\{[^}]*font-style:italic[^}]*\}/g, ''));
}
