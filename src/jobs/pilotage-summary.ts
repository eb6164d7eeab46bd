/**
 * The weekly summary of « Pilotage », for the pilotes who asked for it in « Mon compte »: on
 * Mondays from 08:00 (Paris), the figures of the week before (Monday to Sunday) against the week
 * before it, through the outbox. Each pilote is handled in a short transaction locking their row,
 * and the dedupe key (person and week) makes sure a week is sent once.
 */
import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import { format } from 'date-fns/format';
import { startOfWeek } from 'date-fns/startOfWeek';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { type Db, type Tx, transaction } from '../db/client.js';
import { users } from '../db/schema.js';
import { displayName, loadActor } from '../domain/accounts/actors.js';
import { now as clock } from '../domain/clock.js';
import { enqueueMail } from '../domain/notifications/outbox.js';
import type { MailContext } from '../domain/notifications/request-notifications.js';
import { backlogToday, type Summary, summaryOf } from '../domain/pilotage/figures.js';
import { frenchDay, readFilters } from '../domain/pilotage/filters.js';
import { getReferentials } from '../domain/referentials/referentials.js';
import { DESK_TIME_ZONE } from '../domain/time/working-time.js';

const SEND_FROM_HOUR = 8;

/** Writes the summaries due at `at` to the outbox; returns how many. */
export async function sendPilotageSummaries(db: Db, context: MailContext, at = clock()): Promise<number> {
  const paris = new TZDate(at, DESK_TIME_ZONE);
  const monday = startOfWeek(paris, { weekStartsOn: 1 });
  if (paris.getDay() === 1 && paris.getHours() < SEND_FROM_HOUR) return 0;
  const weekStart = new Date(monday.getTime());
  const due = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'pilot'), eq(users.active, true), eq(users.pilotageSummary, true), notSentSince(weekStart)))
    .orderBy(users.id);
  const week = {
    first: format(addDays(monday, -7), 'yyyy-MM-dd'),
    last: format(addDays(monday, -1), 'yyyy-MM-dd'),
    start: weekStart,
    at,
  };
  let sent = 0;
  for (const { id } of due) if (await transaction(db, (tx) => summaryFor(tx, context, id, week))) sent++;
  return sent;
}

const notSentSince = (since: Date) => or(isNull(users.pilotageSummarySentAt), lt(users.pilotageSummarySentAt, since));

type Week = { first: string; last: string; start: Date; at: Date };

async function summaryFor(tx: Tx, context: MailContext, userId: number, week: Week): Promise<boolean> {
  const [user] = await tx
    .select()
    .from(users)
    .where(and(eq(users.id, userId), notSentSince(week.start)))
    .for('update', { skipLocked: true });
  const actor = user ? await loadActor(tx, userId) : null;
  if (!user || !actor) return false;
  await tx.update(users).set({ pilotageSummarySentAt: week.at }).where(eq(users.id, userId));
  const refs = await getReferentials(tx);
  const read = readFilters({ periode: 'dates', du: week.first, au: week.last }, actor, refs, week.at);
  if (!read.ok || !read.filters.applicationIds.length) return false;
  const { filters } = read;
  const [current, previous, today] = await Promise.all([
    summaryOf(tx, filters, filters.period),
    summaryOf(tx, filters, filters.previous),
    backlogToday(tx, filters),
  ]);
  const names = filters.applicationIds.map((id) => refs.applications.find((a) => a.id === id)?.name).join(', ');
  const link = `${context.publicUrl}/pilotage?periode=dates&du=${week.first}&au=${week.last}`;
  const open = today.backlog.new + today.backlog.in_progress + today.backlog.awaiting_info;
  const body = [
    `Bonjour ${displayName(user)},`,
    '',
    `Voici les chiffres de l’assistance pour ${names}, semaine du ${frenchDay(week.first)} au ${frenchDay(week.last)} (entre parenthèses : la semaine précédente).`,
    '',
    ...summaryLines(current, previous),
    `- Demandes ouvertes aujourd’hui : ${open}, dont ${today.late} en retard et ${today.soon} bientôt en retard`,
    '',
    `Le détail, les graphiques et les exports : ${link}`,
    '',
    'Vous recevez ce résumé parce que vous l’avez demandé dans « Mon compte » ; vous pouvez l’y arrêter.',
    '— Ce message est envoyé automatiquement ; merci de ne pas y répondre.',
  ].join('\n');
  return enqueueMail(tx, {
    kind: 'pilotage_summary',
    to: user.email,
    subject: `Pilotage – ${names} – semaine du ${frenchDay(week.first)}`,
    body,
    recipientId: user.id,
    dedupeKey: `pilotage-summary:${week.first}:u${user.id}`,
  });
}

const HOURS = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const PERCENT = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 0 });

/** The summary's lines: « - Demandes déposées : 12 (9) ». */
export function summaryLines(current: Summary, previous: Summary): string[] {
  const hours = (m: number | null) => (m === null ? '–' : `${HOURS.format(m / 60)} h`);
  const share = (v: number | null) => (v === null ? '–' : PERCENT.format(v));
  const line = (label: string, get: (s: Summary) => string) => `- ${label} : ${get(current)} (${get(previous)})`;
  return [
    line('Demandes déposées', (s) => String(s.filed)),
    line('Demandes traitées', (s) => String(s.treated)),
    line('Demandes clôturées', (s) => String(s.closed)),
    line('Première réponse, médiane en heures ouvrées', (s) => hours(s.firstResponse.median)),
    line('Résolution, médiane en heures ouvrées', (s) => hours(s.resolution.median)),
    line('Résolutions dans le délai', (s) => share(s.resolution.onTime)),
    line('Réponses refusées', (s) => String(s.refusals)),
  ];
}
