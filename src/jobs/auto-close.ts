/**
 * The auto-close job: reminders, then closings, of resolved requests left without reaction.
 * Each request is handled in its own short transaction, locked with SKIP LOCKED, so several
 * workers never remind or close one twice; e-mails leave through the outbox afterwards.
 */
import { type Db, transaction } from '../db/client.js';
import { now } from '../domain/clock.js';
import type { MailContext } from '../domain/notifications/request-notifications.js';
import { type AutoCloseRules, autoCloseCandidates, autoCloseOne } from '../domain/requests/commands/auto-close.js';
import { getSettings } from '../domain/settings/settings.js';
import { calendarOf } from '../domain/time/working-time.js';

const BATCH = 50;

export type AutoCloseRun = { reminded: number; closed: number };

/** One pass over the resolved requests, as of the portal's clock. */
export async function runAutoClose(db: Db, context: MailContext): Promise<AutoCloseRun> {
  const at = now();
  const settings = await getSettings(db);
  const rules: AutoCloseRules = { ...settings, calendar: calendarOf(settings) };
  const run: AutoCloseRun = { reminded: 0, closed: 0 };
  let after = 0;
  for (;;) {
    const ids = await autoCloseCandidates(db, at, rules, after, BATCH);
    for (const id of ids) {
      const done = await transaction(db, (tx) => autoCloseOne(tx, id, at, rules, context));
      if (done === 'remind') run.reminded++;
      if (done === 'close') run.closed++;
    }
    if (ids.length < BATCH) return run;
    after = ids.at(-1) ?? after;
  }
}
