import { type Db, transaction } from '../db/client.js';
import { purgeExpiredSessions } from '../domain/accounts/sessions.js';
import { knownKeys, purgeAbandoned } from '../domain/attachments/staging.js';
import type { FileStore } from '../domain/attachments/store.js';

const ORPHAN_AGE_MS = 60 * 60 * 1000;

/** Housekeeping: expired sessions, abandoned staged files, files no row names. */
export async function runMaintenance(db: Db, files: FileStore): Promise<void> {
  await purgeExpiredSessions(db);
  const abandoned = await transaction(db, (tx) => purgeAbandoned(tx));
  await Promise.all(abandoned.map((key) => files.remove(key)));
  await files.sweepOrphans((keys) => knownKeys(db, keys), ORPHAN_AGE_MS);
}
