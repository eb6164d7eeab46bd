/**
 * Compiles src/ to dist/ (one JavaScript file per source file, no bundling) so that production
 * runs plain Node: no TypeScript loader in memory, no compilation at start.
 * Types are checked separately (`npm run typecheck`).
 */
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
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
