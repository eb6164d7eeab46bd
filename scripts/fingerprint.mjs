/**
 * What dist/ is built from: an unchanged fingerprint leaves dist/ as it is, so a restart starts at
 * once. Read by the build, and by `npm start` before it loads the portal in the same process.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const stamp = join('dist', '.fingerprint');

export function fingerprint() {
  return ['src', 'public', 'scripts']
    .flatMap((dir) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile()))
    .map((f) => join(f.parentPath, f.name))
    .concat('package-lock.json')
    .sort()
    .reduce((hash, file) => hash.update(file).update(readFileSync(file)), createHash('sha256'))
    .digest('hex');
}

/** The fingerprint when dist/ was not built from the sources as they are, null when it was. */
export function outdated() {
  const current = fingerprint();
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === current ? null : current;
}
