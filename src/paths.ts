/**
 * Where the portal's files are, whether it runs from `src/` (tsx, tests) or bundled into `dist/` by
 * `npm run build`: a bundled module's own address is that of the chunk holding it, so a path taken
 * relative to a source file would point elsewhere once built.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function findProjectDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`package.json introuvable au-dessus de ${from}`);
  }
}

/** The project's folder: the nearest one above the running code that holds package.json. */
export const projectDir = findProjectDir(here);
/** The running code's folder: `dist/` once built, `src/` otherwise; the files next to the code are under it. */
export const codeDir = join(projectDir, relative(projectDir, here).split(sep)[0] ?? '');
