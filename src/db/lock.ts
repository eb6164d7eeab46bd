import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';

export class DataDirLockedError extends Error {}

/** Lock files this process holds: a second opener in the same process is refused too. */
const held = new Set<string>();

/**
 * The embedded database serves one process per data folder: a lock file holding the pid
 * refuses a second one. A lock left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = resolve(dataDir, 'guichet.lock');
  const refuse = (pid: number) =>
    new DataDirLockedError(
      `Le dossier de données ${dataDir} est déjà utilisé par le processus ${pid}. ` +
        'La base embarquée n’accepte qu’un processus ; arrêtez-le, ou utilisez PostgreSQL (DATABASE_URL) pour en lancer plusieurs.',
    );
  if (held.has(file)) throw refuse(process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(file);
      return () => {
        held.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8'));
      // Our own pid in a lock we do not hold was left by an earlier run (pids are reused, e.g. in containers).
      if (pid && pid !== process.pid && isAlive(pid)) throw refuse(pid);
      rmSync(file, { force: true });
    }
  }
  throw new DataDirLockedError(`Impossible de verrouiller le dossier de données ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
