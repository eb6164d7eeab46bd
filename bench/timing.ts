/**
 * Do the login and the forgotten-password form take the same time whether the account exists or
 * not? Measured in-process on the domain functions (HTTP rate limits would stop a loop over HTTP).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DEMO_PASSWORD } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { loginThrottle } from '../src/db/schema.js';
import { seed } from '../src/db/seed/seed.js';
import { login } from '../src/domain/accounts/login.js';
import { requestPasswordReset } from '../src/domain/accounts/password-reset.js';

export type TimingRow = { case: string; medianMs: number; meanMs: number };

async function time(label: string, runs: number, work: (i: number) => Promise<unknown>): Promise<TimingRow> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work(i);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / runs;
  return { case: label, medianMs: Number((samples[Math.floor(runs / 2)] ?? 0).toFixed(1)), meanMs: Number(mean.toFixed(1)) };
}

export async function measureIdentityTiming(runs = 60): Promise<TimingRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-timing-'));
  const database = await openDatabase({ dataDir, inMemory: true });
  try {
    await migrate(database);
    await seed(database.db, { demoPassword: DEFAULT_DEMO_PASSWORD });
    const { db } = database;
    // A fresh address per attempt, so that throttling never steps in.
    return [
      await time('connexion, compte existant, mauvais mot de passe', runs, async (i) => {
        await db.delete(loginThrottle);
        return login(db, 'agent', 'mauvais mot de passe', `10.1.0.${i}`);
      }),
      await time('connexion, compte inconnu', runs, async (i) => {
        await db.delete(loginThrottle);
        return login(db, `inconnu${i}`, 'mauvais mot de passe', `10.2.0.${i}`);
      }),
      await time('mot de passe oublié, compte existant', runs, (i) =>
        db.transaction((tx) => requestPasswordReset(tx, 'expert', `10.3.0.${i}`)),
      ),
      await time('mot de passe oublié, compte inconnu', runs, (i) =>
        db.transaction((tx) => requestPasswordReset(tx, `inconnu${i}`, `10.4.0.${i}`)),
      ),
    ];
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
