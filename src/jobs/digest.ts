/**
 * The daily digest of new requests, for agents who chose it in « Mon compte »: once a day after
 * 08:00 (Paris), the requests of their applications filed since their last digest; nothing when
 * there are none. Each person is handled in a short transaction that locks their row, so two
 * processes never send one digest twice; the dedupe key (person and day) makes sure of it.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { startOfDay } from 'date-fns/startOfDay';
import { and, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { type Db, transaction } from '../db/client.js';
import { applications, requests, userApplications, users } from '../db/schema.js';
import { displayName } from '../domain/accounts/actors.js';
import { enqueueMail } from '../domain/notifications/outbox.js';
import { type MailContext, requestLink } from '../domain/notifications/request-notifications.js';
import { loadTemplate, renderTemplate } from '../domain/notifications/templates.js';

const ZONE = 'Europe/Paris';
const SEND_FROM_HOUR = 8;
/** A first digest covers at most the last day. */
const FIRST_WINDOW_MS = 24 * 3600 * 1000;
const MAX_LISTED = 200;

/** Sends the digests due at `now`; returns how many were written to the outbox. */
export async function sendDigests(db: Db, context: MailContext, now = new Date()): Promise<number> {
  const paris = new TZDate(now, ZONE);
  if (paris.getHours() < SEND_FROM_HOUR) return 0;
  const today = new Date(startOfDay(paris).getTime());
  const due = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.role, 'agent'),
        eq(users.active, true),
        eq(users.notifyNewRequests, 'digest'),
        or(isNull(users.digestSentAt), lt(users.digestSentAt, today)),
      ),
    )
    .orderBy(users.id);
  const day = format(paris, 'yyyy-MM-dd');
  let sent = 0;
  for (const { id } of due) {
    if (await digestFor(db, context, id, { now, today, day })) sent++;
  }
  return sent;
}

type When = { now: Date; today: Date; day: string };

async function digestFor(db: Db, context: MailContext, userId: number, { now, today, day }: When): Promise<boolean> {
  return transaction(db, async (tx) => {
    const [user] = await tx
      .select()
      .from(users)
      .where(and(eq(users.id, userId), or(isNull(users.digestSentAt), lt(users.digestSentAt, today))))
      .for('update', { skipLocked: true });
    if (!user) return false;
    const since = user.digestSentAt ?? new Date(now.getTime() - FIRST_WINDOW_MS);
    const mine = tx
      .select({ id: userApplications.applicationId })
      .from(userApplications)
      .where(eq(userApplications.userId, userId));
    const fresh = await tx
      .select({ number: requests.number, subject: requests.subject, application: applications.name, blocking: requests.blocking })
      .from(requests)
      .innerJoin(applications, eq(applications.id, requests.applicationId))
      .where(and(inArray(requests.applicationId, mine), gt(requests.createdAt, since), sql`${requests.createdAt} <= ${now}`))
      .orderBy(requests.createdAt, requests.id)
      .limit(MAX_LISTED + 1);
    await tx.update(users).set({ digestSentAt: now }).where(eq(users.id, userId));
    if (!fresh.length) return false;
    const lines = fresh
      .slice(0, MAX_LISTED)
      .map(
        (r) =>
          `- n° ${r.number} (${r.application}${r.blocking ? ', bloquant' : ''}) : ${r.subject}\n  ${requestLink(context, r.number)}`,
      );
    if (fresh.length > MAX_LISTED) lines.push(`- … et d’autres, à voir dans le guichet.`);
    const { subject, body } = renderTemplate(await loadTemplate(tx, 'digest'), {
      destinataire: displayName(user),
      nombre: fresh.length > MAX_LISTED ? `plus de ${MAX_LISTED}` : String(fresh.length),
      demandes: lines.join('\n'),
      lien: `${context.publicUrl}/guichet`,
    });
    return enqueueMail(tx, {
      kind: 'digest',
      to: user.email,
      subject,
      body: `${body}\n\n— Ce message est envoyé automatiquement ; merci de ne pas y répondre.`,
      recipientId: user.id,
      dedupeKey: `digest:${day}:digest:u${user.id}`,
    });
  });
}
