/**
 * Keeps the Pilotage facts up to date. Adding to a request's history marks the request in
 * `request_facts_pending` (in the same transaction); `refreshFacts` takes a batch of marked
 * requests, recomputes their facts and status spans from scratch and unmarks them, in one
 * transaction. Recomputing from the whole history makes it idempotent: running it twice, or
 * after a rebuild, gives the same rows.
 */
import { asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { type Db, type Tx, transaction } from '../../db/client.js';
import { requestEvents, requestFacts, requestStatusSpans, requests, structures } from '../../db/schema.js';
import { getSettings } from '../settings/settings.js';
import { calendarOf } from '../time/working-time.js';
import { type FactSource, factsOf, type HistoryEvent } from './facts.js';

const BATCH = 500;

/** Recomputes up to `batch` marked requests; returns how many. */
export async function refreshFacts(db: Db, batch = BATCH): Promise<number> {
  return transaction(db, async (tx) => {
    // A command locks its request, then marks it; the facts' foreign keys need the request too. The
    // requests are locked here first (key share), those a command holds skipped until it commits:
    // the two never wait for each other in opposite orders (a deadlock).
    const taken = await tx.execute(sql`
      delete from request_facts_pending where request_id in (
        select p.request_id from request_facts_pending p join requests r on r.id = p.request_id
        order by p.request_id limit ${batch}
        for update of p skip locked for key share of r skip locked)
      returning request_id`);
    const ids = (taken.rows as { request_id: string | number }[]).map((r) => Number(r.request_id));
    if (ids.length) await recompute(tx, ids);
    return ids.length;
  });
}

/** Recomputes every marked request. */
export async function refreshAllFacts(db: Db, batch = BATCH): Promise<number> {
  let total = 0;
  for (let n = await refreshFacts(db, batch); n > 0; n = await refreshFacts(db, batch)) total += n;
  return total;
}

/**
 * Recomputes the facts of the requests filed in [from, to) (all when both are absent), whatever
 * is marked: after a change of calendar or of service levels, or to check the figures.
 */
export async function rebuildFacts(db: Db, period: { from?: Date; to?: Date } = {}, batch = BATCH): Promise<number> {
  await transaction(db, (tx) =>
    tx.execute(sql`
      insert into request_facts_pending (request_id)
      select id from requests
      where (${period.from ?? null}::timestamptz is null or created_at >= ${period.from ?? null}::timestamptz)
        and (${period.to ?? null}::timestamptz is null or created_at < ${period.to ?? null}::timestamptz)
      on conflict do nothing`),
  );
  return refreshAllFacts(db, batch);
}

async function recompute(tx: Tx, ids: number[]) {
  const cal = calendarOf(await getSettings(tx));
  const rows = await tx
    .select({ request: requests, regionId: structures.regionId, natureId: structures.natureId })
    .from(requests)
    .leftJoin(structures, eq(structures.id, requests.structureId))
    .where(inArray(requests.id, ids));
  const events = await tx
    .select({
      requestId: requestEvents.requestId,
      kind: requestEvents.kind,
      fromStatus: requestEvents.fromStatus,
      toStatus: requestEvents.toStatus,
      createdAt: requestEvents.createdAt,
    })
    .from(requestEvents)
    .where(inArray(requestEvents.requestId, ids))
    .orderBy(asc(requestEvents.requestId), asc(requestEvents.id));
  const history = new Map<number, HistoryEvent[]>();
  for (const { requestId, ...e } of events) {
    const list = history.get(requestId) ?? [];
    if (!list.length) history.set(requestId, list);
    list.push(e);
  }
  const computed = rows.map((r) => {
    const source: FactSource = {
      request: r.request,
      regionId: r.regionId,
      natureId: r.natureId,
      events: history.get(r.request.id) ?? [],
    };
    return { id: r.request.id, ...factsOf(source, cal) };
  });
  await tx.delete(requestStatusSpans).where(inArray(requestStatusSpans.requestId, ids));
  if (!computed.length) return;
  const facts = computed.map((c) => c.facts);
  await tx.insert(requestFacts).values(facts).onConflictDoUpdate({ target: requestFacts.requestId, set: excludedColumns() });
  const spans = computed.flatMap(({ id, facts: f, spans }) =>
    spans.map(
      (s) => sql`(${id}, ${f.applicationId}, ${f.themeId}, ${f.problemTypeId}, ${f.blocking}, ${f.regionId}, ${f.natureId},
        ${f.level}, ${f.channel}, ${s.status}, tstzrange(${s.from}::timestamptz, ${s.to}::timestamptz, '[)'))`,
    ),
  );
  // A statement holds at most 65 535 parameters: 12 per span.
  for (let at = 0; at < spans.length; at += 4000)
    await tx.execute(
      sql`insert into request_status_spans (request_id, application_id, theme_id, problem_type_id, blocking, region_id,
        nature_id, level, channel, status, span) values ${sql.join(spans.slice(at, at + 4000), sql`, `)}`,
    );
}

/** `set column = excluded.column` for every fact but the key. */
function excludedColumns() {
  return Object.fromEntries(
    Object.entries(getTableColumns(requestFacts))
      .filter(([key]) => key !== 'requestId')
      .map(([key, column]) => [key, sql.raw(`excluded.${column.name}`)]),
  );
}
