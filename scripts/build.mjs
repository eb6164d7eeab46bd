/**
 * Compiles src/ to dist/ (one JavaScript file per source file, no bundling) so that production
 * runs plain Node: no TypeScript loader in memory, no compilation at start.
 * Types are checked separately (`npm run typecheck`).
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import zlib from 'node:zlib';
import { build } from 'esbuild';

const sources = readdirSync('src', { recursive: true, withFileTypes: true })
  .filter((f) => f.isFile() && /\.tsx?$/.test(f.name) && !/\.test\.tsx?$/.test(f.name))
  .map((f) => join(f.parentPath, f.name));

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: sources,
  outdir: 'dist',
  outbase: 'src',
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

// Brotli and gzip copies of the text files pages load, under their content version (see src/web/plugins/assets.ts).
const assets = await import('../dist/web/plugins/assets.js');
const targets = [
  ['dsfr', assets.dsfrDist, assets.precompressedDsfrFiles],
  ['public', assets.publicDir, readdirSync(assets.publicDir)],
];
for (const [kind, source, files] of targets) {
  const out = assets.precompressedDir(kind);
  for (const file of files) {
    const data = readFileSync(join(source, file));
    mkdirSync(dirname(join(out, file)), { recursive: true });
    writeFileSync(join(out, file), data);
    const brotli = {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    };
    writeFileSync(join(out, `${file}.br`), zlib.brotliCompressSync(data, brotli));
    writeFileSync(join(out, `${file}.gz`), zlib.gzipSync(data, { level: 9 }));
  }
}
