/** How staff hear of new requests of their applications, and pilotes of the week's figures (« Mon compte »). */
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { ValidationError } from '../errors.js';
import type { NotifyMode } from '../vocabulary.js';

export const NOTIFY_MODES: { value: NotifyMode; label: string }[] = [
  { value: 'immediate', label: 'À chaque demande' },
  { value: 'digest', label: 'Un récapitulatif quotidien' },
  { value: 'none', label: 'Aucun courriel' },
];

export async function getNotifyMode(db: Executor, userId: number): Promise<NotifyMode> {
  const [row] = await db.select({ mode: users.notifyNewRequests }).from(users).where(eq(users.id, userId));
  return row?.mode ?? 'immediate';
}

export async function setNotifyMode(db: Executor, userId: number, value: string): Promise<void> {
  const mode = NOTIFY_MODES.find((m) => m.value === value)?.value;
  if (!mode) throw new ValidationError({ notifyNewRequests: 'Choisissez une des trois possibilités.' });
  // A digest newly chosen lists the requests filed from now on: earlier ones were already mailed (or not wanted).
  await db
    .update(users)
    .set({
      notifyNewRequests: mode,
      digestSentAt:
        mode === 'digest' ? sql`case when ${users.notifyNewRequests} = 'digest' then ${users.digestSentAt} else now() end` : null,
    })
    .where(eq(users.id, userId));
}

/** Whether a pilote receives the weekly summary of « Pilotage ». */
export async function getPilotageSummary(db: Executor, userId: number): Promise<boolean> {
  const [row] = await db.select({ on: users.pilotageSummary }).from(users).where(eq(users.id, userId));
  return row?.on ?? false;
}

/** Turned on, the next summary is the coming Monday's (none is sent for weeks already past). */
export async function setPilotageSummary(db: Executor, userId: number, on: boolean): Promise<void> {
  await db
    .update(users)
    .set({ pilotageSummary: on, pilotageSummarySentAt: on ? sql`coalesce(${users.pilotageSummarySentAt}, now())` : null })
    .where(eq(users.id, userId));
}
