/**
 * Demonstration requests (development): the user guide's two examples (67080, 67098) and a dozen
 * recent ones, over every status. They are played through the request commands, with the portal's
 * clock set to each step's date, so that history, service levels, Pilotage marks and e-mails
 * (kept in the outbox) are those of real use. Once per database.
 */
import { TZDate } from '@date-fns/tz';
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { loadActor } from '../../domain/accounts/actors.js';
import type { Actor } from '../../domain/actor.js';
import { now, setClock } from '../../domain/clock.js';
import { attachResource } from '../../domain/knowledge/resources.js';
import type { MailContext } from '../../domain/notifications/request-notifications.js';
import { applyAction } from '../../domain/requests/commands/apply-action.js';
import { fileRequest } from '../../domain/requests/commands/file-request.js';
import { recordSatisfaction } from '../../domain/requests/commands/satisfaction.js';
import { getSettings } from '../../domain/settings/settings.js';
import { calendarOf, DESK_TIME_ZONE, isWorkingDay, type WorkingCalendar } from '../../domain/time/working-time.js';
import { type Db, type Tx, transaction } from '../client.js';
import { applications, documents, problemTypes, requestEvents, requests, settings, themes, users } from '../schema.js';
import { DEMO_REQUESTS, type DemoRequest, type Login, type Step, type When } from './demo-requests-script.js';

const DEMO_REQUESTS_KEY = 'seed.demoRequests';

/** The development server's address, for the links of the demo e-mails when none is given. */
const DEFAULT_MAIL: MailContext = { publicUrl: 'http://localhost:3000' };

/** What the steps need: the people, the referentials' ids, the calendar and the numbers given so far. */
type Context = {
  mail: MailContext;
  actors: Map<string, Actor>;
  ids: Map<string, number>;
  calendar: WorkingCalendar;
  today: Date;
  numbers: Map<string, number>;
};

/**
 * Files the demo requests once per database, in one transaction: nothing when they were seeded
 * already, or when the database holds requests (someone's data, whose numbers may be the guide's).
 */
export async function seedDemoRequests(db: Db, mail: MailContext = DEFAULT_MAIL): Promise<boolean> {
  const [done] = await db.select().from(settings).where(eq(settings.key, DEMO_REQUESTS_KEY));
  const [any] = await db.select({ id: requests.id }).from(requests).limit(1);
  if (done || any) return false;
  await transaction(db, async (tx) => {
    const context = await contextOf(tx, mail);
    const ordered = [...DEMO_REQUESTS].sort((a, b) => dateOf(context, a.at).getTime() - dateOf(context, b.at).getTime());
    try {
      for (const demo of ordered) await playRequest(tx, context, demo);
    } finally {
      // The seed runs at start, before anything else reads or sets the clock.
      setClock(null);
    }
    await keepNumbersAhead(tx);
    await tx.insert(settings).values({ key: DEMO_REQUESTS_KEY, value: context.today.toISOString() });
  });
  return true;
}

async function contextOf(tx: Tx, mail: MailContext): Promise<Context> {
  const logins: Login[] = ['demandeur', 'direccte', 'agent', 'expert'];
  const people = await tx.select({ id: users.id, login: users.login }).from(users).where(inArray(users.login, logins));
  const actors = new Map<string, Actor>();
  for (const person of people) {
    const actor = await loadActor(tx, person.id);
    if (actor) actors.set(person.login, actor);
  }
  const ids = new Map<string, number>();
  for (const a of await tx.select().from(applications)) ids.set(`app:${a.code}`, a.id);
  for (const t of await tx.select().from(themes)) ids.set(`theme:${t.applicationId}:${t.name}`, t.id);
  for (const p of await tx.select().from(problemTypes)) ids.set(`problem:${p.name}`, p.id);
  for (const d of await tx.select().from(documents).where(eq(documents.published, true))) ids.set(`document:${d.title}`, d.id);
  const calendar = calendarOf(await getSettings(tx));
  return { mail, actors, ids, calendar, today: now(), numbers: new Map() };
}

const actorOf = (context: Context, login: Login): Actor => {
  const actor = context.actors.get(login);
  if (!actor) throw new Error(`demo requests: no active account ${login}`);
  return actor;
};

/** Files the request at its date, then plays its steps, each at its own. */
async function playRequest(tx: Tx, context: Context, demo: DemoRequest) {
  // The guide's numbers: the sequence is put just below, so the filing takes it.
  if (demo.number) await tx.execute(sql`select setval('request_number_seq', ${demo.number - 1})`);
  const filed = await at(dateOf(context, demo.at), () =>
    fileRequest(tx, actorOf(context, demo.by), inputOf(context, demo), {
      ...context.mail,
      submissionToken: `demo:${demo.key}`,
      requesterId: demo.for ? actorOf(context, demo.for).id : undefined,
      channel: demo.for ? 'telephone' : 'portail',
      onBehalf: demo.onBehalf ?? null,
    }),
  );
  if (demo.number && filed.number !== demo.number) throw new Error(`demo request ${demo.key} got n° ${filed.number}`);
  context.numbers.set(demo.key, filed.number);
  for (const step of demo.steps) {
    const date = dateOf(context, step.at);
    const lastId = STAMPED_BY_DATABASE.includes(step.do) ? await lastEventId(tx) : null;
    await at(date, () => playStep(tx, context, filed.number, step));
    if (lastId !== null) await dateEventsSince(tx, lastId, date);
  }
}

/** Steps whose helpers (links, resources) write internal events at the database's time, not the portal's clock. */
const STAMPED_BY_DATABASE: readonly Step['do'][] = ['document', 'mark_duplicate'];

async function lastEventId(tx: Tx): Promise<number> {
  const [last] = await tx.select({ id: sql<string>`coalesce(max(${requestEvents.id}), 0)` }).from(requestEvents);
  return Number(last?.id ?? 0);
}

function inputOf(context: Context, demo: DemoRequest) {
  const applicationId = context.ids.get(`app:${demo.app}`);
  if (!applicationId) throw new Error(`demo requests: no application ${demo.app}`);
  return {
    subject: demo.subject,
    blocking: demo.blocking ?? false,
    applicationId,
    themeId: (demo.theme && context.ids.get(`theme:${applicationId}:${demo.theme}`)) || null,
    problemTypeId: (demo.problem && context.ids.get(`problem:${demo.problem}`)) || null,
    businessReference: demo.reference ?? null,
    description: demo.description,
  };
}

async function playStep(tx: Tx, context: Context, number: number, step: Step): Promise<unknown> {
  const actor = actorOf(context, step.by);
  switch (step.do) {
    case 'survey':
      return recordSatisfaction(tx, actor, number, { rating: String(step.rating), comment: step.message });
    case 'document': {
      const id = context.ids.get(`document:${step.title}`);
      // Without the demo documents (renamed, unpublished), the answer simply points to none.
      return id ? attachResource(tx, actor, number, { type: 'document', id }) : undefined;
    }
    case 'mark_duplicate':
      return applyAction(
        tx,
        actor,
        number,
        'mark_duplicate',
        { duplicateOfNumber: context.numbers.get(step.original) },
        context.mail,
      );
    default:
      return applyAction(tx, actor, number, step.do, { message: step.message }, context.mail);
  }
}

/** Runs `work` with the portal's clock stopped at `date` (commands read « now » from it). */
async function at<T>(date: Date, work: () => Promise<T>): Promise<T> {
  setClock(date);
  return work();
}

/** The events of such a step are dated with it, so that the history reads in order. */
async function dateEventsSince(tx: Tx, lastId: number, date: Date) {
  await tx
    .update(requestEvents)
    .set({ createdAt: date })
    .where(and(gt(requestEvents.id, lastId), gt(requestEvents.createdAt, date)));
}

/** Later filings never reuse a number given here (the guide's are set by hand). */
async function keepNumbersAhead(tx: Tx) {
  await tx.execute(
    sql`select setval('request_number_seq', greatest((select max(number) from requests), (select last_value from request_number_seq)))`,
  );
}

const TIME = /^(\d{2}):(\d{2})$/;

/** The instant of a `When`: a date of the guide, or N working days before today, in Paris. */
function dateOf(context: Context, when: When): Date {
  const [day = '', time = ''] = when.split(' ');
  const [, hours = '9', minutes = '0'] = TIME.exec(time) ?? [];
  if (!day.startsWith('-')) {
    const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
    return new Date(new TZDate(year, month - 1, date, Number(hours), Number(minutes), DESK_TIME_ZONE).getTime());
  }
  // Days are stepped at noon, an hour every day has whatever the daylight-saving change.
  let noon = new TZDate(context.today.getTime(), DESK_TIME_ZONE);
  for (let left = Number(day.slice(1)); left > 0; ) {
    noon = new TZDate(noon.getFullYear(), noon.getMonth(), noon.getDate() - 1, 12, 0, DESK_TIME_ZONE);
    if (isWorkingDay(noon, context.calendar)) left--;
  }
  return new Date(
    new TZDate(noon.getFullYear(), noon.getMonth(), noon.getDate(), Number(hours), Number(minutes), DESK_TIME_ZONE).getTime(),
  );
}
