/**
 * One chunk of generated requests, as three server-side statements: the requests (numbers in filing
 * order over five years), their histories (from the scripts), and the metadata of their attachments.
 */
import type { Plan } from './plan.js';
import { SCRIPTS, scriptIndex, stepFraction, stepsValues } from './scripts.js';
import { below, pick, pickId, textArray, timestamp, unit, weighted } from './sql.js';
import {
  ADD_INFO_BODIES,
  ASK_INFO_BODIES,
  ATTACHMENT_NAMES,
  DESCRIPTION_CLOSINGS,
  DESCRIPTION_DETAILS,
  DESCRIPTION_OPENINGS,
  FIRST_NAMES,
  LAST_NAMES,
  NOTE_BODIES,
  RESOLVE_BODIES,
  SUBJECT_CONTEXTS,
  SUBJECT_PROBLEMS,
  SUBJECT_TOPICS,
} from './vocabulary.js';

/** In seconds: interval arithmetic in months would jump at month ends and break the filing order. */
const FIVE_YEARS = Math.round(5 * 365.25 * 86_400);
const CHANNELS = ['portail', 'courriel', 'telephone', 'api'];
const ESCALATING = SCRIPTS.flatMap((s, i) => (s.steps.some((st) => st.levelTwo) ? [i] : []));
const ACCEPTING = SCRIPTS.flatMap((s, i) => (s.steps.some((st) => st.kind === 'accept') ? [i] : []));
/** Steps that change the request (its version), per script. */
const versionOf = (script: string) =>
  `(case ${script} ${SCRIPTS.map((s, i) => `when ${i} then ${s.steps.filter((st) => st.kind !== 'created' && !st.levelTwo).length + 1}`).join(' ')} end)`;

/** The application of a requester (by index): their main one, sometimes their second. */
export const requesterApp = (plan: Plan, index: string, salt: number) => weighted(index, salt, plan.appWeights);

/** The structure of a generated requester, by index (see population.ts). */
export function requesterStructure(plan: Plan, i: string): string {
  const { structureBase: s0, direccteStructures: d, structures } = plan;
  const demo = plan.demo.requester?.structureId;
  return `(case when ${i} % 20 = 0 then ${s0} + 1 + (${i} / 20) % ${d}
    ${demo ? `when ${i} % 300 = 1 then ${demo}` : ''}
    else ${s0} + ${d} + 1 + ${i} % ${structures - d} end)`;
}

const appIdOf = (plan: Plan, index: string) => `(array[${plan.apps.map((a) => a.id).join(',')}]::int[])[1 + ${index}]`;

function themeOf(plan: Plan, app: string, g: string): string {
  const branches = plan.apps
    .filter((a) => (plan.themes.get(a.id) ?? []).length)
    .map((a) => `when ${a.id} then ${pickId(plan.themes.get(a.id) ?? [], g, 28)}`);
  return branches.length ? `(case ${app} ${branches.join(' ')} else null end)` : 'null::int';
}

/** Who files: the demo requester, the demo regional user, or a generated requester (`ri`). */
function whoFiles(plan: Plan, g: string): string {
  const roll = below(g, 2, 1_000_000);
  const mine = plan.demo.requester ? Math.round(Math.min(0.1, 2000 / plan.requests) * 1e6) : 0;
  const regional = plan.demo.regional ? Math.round(Math.min(0.05, 600 / plan.requests) * 1e6) : 0;
  return `(case when ${roll} < ${mine} then 'd' when ${roll} < ${mine + regional} then 'r' else 'x' end)`;
}

function statusOf(age: string, roll: string): string {
  return `(case when ${age} < 2 then (case when ${roll} < 450 then 'new' when ${roll} < 750 then 'in_progress'
      when ${roll} < 850 then 'awaiting_info' when ${roll} < 950 then 'resolved' else 'closed' end)
    when ${age} < 14 then (case when ${roll} < 180 then 'new' when ${roll} < 500 then 'in_progress'
      when ${roll} < 620 then 'awaiting_info' when ${roll} < 800 then 'resolved' else 'closed' end)
    when ${age} < 60 then (case when ${roll} < 30 then 'new' when ${roll} < 150 then 'in_progress'
      when ${roll} < 230 then 'awaiting_info' when ${roll} < 330 then 'resolved' else 'closed' end)
    else (case when ${roll} < 7 then 'in_progress' when ${roll} < 11 then 'awaiting_info'
      when ${roll} < 12 then 'resolved' else 'closed' end) end)`;
}

/** The level-1 agent who routes a request (generalists cover every application). */
export const routerAgent = (plan: Plan, g: string) => `(${plan.userBase} + 1 + ${below(g, 20, plan.generalists)})`;

function assigneeOf(plan: Plan): string {
  const { userBase: u0, agents, generalists, experts, ceresId, demo } = plan;
  const agentRoll = below('g', 17, 1000);
  const demoAgent = demo.agent
    ? `when status in ('resolved', 'closed') and ${agentRoll} < 4 then ${demo.agent}
    when status not in ('resolved', 'closed') and ${agentRoll} < 12 then ${demo.agent}`
    : '';
  const expertApps = demo.expert?.applicationIds ?? [];
  const demoExpert =
    demo.expert && expertApps.length
      ? `when app_id in (${expertApps.join(',')}) and ${below('g', 19, 100)} < 5 then ${demo.expert.id}`
      : '';
  return `(case when status = 'new' then null
    when level = 2 then (case ${demoExpert} when true then ${u0} + ${agents} + 1 + ${below('g', 19, experts)} end)
    ${demoAgent}
    when app_id = ${ceresId} then ${u0} + 1 + ${below('g', 18, agents)}
    else ${u0} + 1 + ${below('g', 18, generalists)} end)`;
}

/** The requests numbered `from`..`to` of the run (1-based), with every column the schema needs. */
export function requestsStatement(plan: Plan, from: number, to: number): string {
  const now = timestamp(plan.now);
  const n = plan.requests;
  const g = 'g';
  const firstResponse = stepFraction('script', ['ask_info', 'resolve'], 'first');
  const resolution = stepFraction('script', ['resolve'], 'last');
  const open = `status in ('new', 'in_progress', 'awaiting_info')`;
  const regionalApp = plan.apps.findIndex((a) => a.code === 'PORTAIL_ALTERNANCE');
  const ceresIndex = plan.apps.findIndex((a) => a.id === plan.ceresId);
  const onBehalf = `(who = 'r' or (who = 'x' and ri % 20 = 0)) and ${below(g, 32, 100)} < 30`;
  // Open requests' next due date (pushed forward by the stopped clock): late, soon late, or on time.
  const running = `${open} and status <> 'awaiting_info'`;
  const nextDue = `(case when ${below(g, 15, 100)} < 30
      then greatest(c + interval '4 hours', ${now} - interval '1 hour' * (1 + 400 * ${unit(g, 16)}))
    when ${below(g, 15, 100)} < 45 then ${now} + interval '1 minute' * (15 + ${below(g, 16, 90)})
    else ${now} + interval '1 hour' * (3 + 70 * ${unit(g, 16)}) end)`;
  return `
insert into requests (id, number, subject, description, blocking, application_id, theme_id, problem_type_id,
  business_reference, status, level, assignee_id, requester_id, created_by_id, structure_id, channel, version,
  created_at, updated_at, on_behalf_name, on_behalf_email, first_response_due_at, resolution_due_at,
  first_response_at, sla_paused_at, resolved_at, satisfaction, satisfaction_at)
select ${plan.requestIdBase} + g, ${plan.numberBase} + g,
  ${pick(SUBJECT_PROBLEMS, g, 21)} || ' ' || ${pick(SUBJECT_TOPICS, g, 22)} || ${pick(SUBJECT_CONTEXTS, g, 23)},
  ${pick(DESCRIPTION_OPENINGS, g, 24)} || ' ' || ${pick(DESCRIPTION_DETAILS, g, 25)} || E'\\n\\n'
    || ${pick(DESCRIPTION_CLOSINGS, g, 27)},
  blocking, app_id, ${themeOf(plan, 'app_id', g)}, ${pickId(plan.problemTypes, g, 28)},
  case when ${below(g, 29, 100)} < 30 then 'SES-' || extract(year from c)::int || '-' || lpad(${below(g, 30, 100000)}::text, 5, '0') end,
  status, level, ${assigneeOf(plan)}, requester_id,
  case when channel in ('courriel', 'telephone') then ${routerAgent(plan, g)} else requester_id end,
  requester_structure, channel, ${versionOf('script')}, c, u,
  case when ${onBehalf} then ${pick(FIRST_NAMES, g, 33)} || ' ' || ${pick(LAST_NAMES, g, 34)} end,
  case when ${onBehalf} then 'unite' || ${below(g, 35, 100)} || '@dreets.gouv.fr' end,
  case when ${running} and fr_frac is null then ${nextDue} else fr_due end,
  case when ${running} and fr_frac is not null then greatest(fr_due, ${nextDue})
    when ${running} then greatest(res_due, ${nextDue}) else res_due end,
  c + (u - c) * fr_frac,
  case when status = 'awaiting_info' then u end,
  case when status in ('resolved', 'closed') then c + (u - c) * res_frac end,
  case when accepted and ${below(g, 36, 100)} < 40 then 5 - ${weighted(g, 37, [50, 25, 10, 8, 7])} end,
  case when accepted and ${below(g, 36, 100)} < 40 then u end
from (
  select *, ${scriptIndex('status', 'script_roll')} as script,
    c + case when blocking then interval '4 hours' else interval '1 day' end as fr_due,
    c + case when blocking then interval '2 days' else interval '7 days' end as res_due,
    case when status in ('new', 'in_progress', 'awaiting_info') then c + (${now} - c) * (0.2 + 0.8 * ${unit(g, 14)})
      when status = 'resolved' then greatest(c, ${now} - interval '10 days' * ${unit(g, 14)})
      else least(c + interval '1 hour' * (2 + 600 * power(${unit(g, 13)}, 3)), ${now} - interval '1 minute') end as u
  from (
    select *, ${statusOf('age', 'status_roll')} as status,
      ${below(g, 9, 100)} < 10 as blocking,
      (array[${CHANNELS.map((c) => `'${c}'`).join(',')}])[1 + ${weighted(g, 10, [85, 8, 5, 2])}] as channel
    from (
      select g, who, ri, c, status_roll, script_roll, extract(epoch from ${now} - c) / 86400 as age,
        case who when 'd' then ${plan.demo.requester?.id ?? 'null'} when 'r' then ${plan.demo.regional?.id ?? 'null'}
          else ${plan.userBase} + ${plan.staff} + 1 + ri end as requester_id,
        case who when 'd' then ${plan.demo.requester?.structureId ?? 'null'} when 'r' then ${plan.demo.regional?.structureId ?? 'null'}
          else ${requesterStructure(plan, 'ri')} end as requester_structure,
        ${appIdOf(
          plan,
          `case who when 'd' then ${ceresIndex} when 'r' then (case when ${below(g, 4, 10)} < 6 then ${ceresIndex} else ${Math.max(0, regionalApp)} end)
          else (case when ${below(g, 5, 10)} < 8 then ${requesterApp(plan, 'ri', 11)} else ${requesterApp(plan, 'ri', 12)} end) end`,
        )} as app_id
      from (
        select g, ${whoFiles(plan, g)} as who, ${below(g, 6, 1000)} as status_roll, ${below(g, 7, 100)} as script_roll,
          floor(${plan.requesters} * power(${unit(g, 3)}, 1.6))::int as ri,
          least(${now} - interval '1 second' * ${FIVE_YEARS} * (1 - power((g - 0.5) / ${n}, 0.75))
            + interval '1 minute' * ${below(g, 1, 90)}, ${now} - interval '5 minutes') as c
        from generate_series(${from}, ${to}) g offset 0
      ) picked offset 0
    ) filed offset 0
  ) aged offset 0
) scripted
cross join lateral (select
  script in (${ESCALATING.join(',')}) and status <> 'new' and ${below(g, 8, 100)} < 10 as escalated,
  script in (${ACCEPTING.join(',')}) as accepted, ${firstResponse} as fr_frac, ${resolution} as res_frac offset 0
) flags
cross join lateral (select case when escalated then 2 else 1 end as level offset 0) lv`;
}

/** The histories of the chunk's requests, in order (event ids follow time within a request). */
export function eventsStatement(plan: Plan, from: number, to: number): string {
  const g = `(r.id - ${plan.requestIdBase})`;
  const key = `(r.id * 16 + s.step)`;
  return `
insert into request_events (request_id, actor_id, kind, from_status, to_status, body, internal, created_at)
select r.id,
  case s.actor when 'creator' then r.created_by_id when 'requester' then r.requester_id
    when 'assignee' then coalesce(r.assignee_id, ${routerAgent(plan, g)})
    when 'router' then case when r.level = 2 then ${routerAgent(plan, g)} else coalesce(r.assignee_id, ${routerAgent(plan, g)}) end
  end,
  s.kind, s.from_status, s.to_status,
  case s.body when 'ask' then ${pick(ASK_INFO_BODIES, key, 40)} when 'add' then ${pick(ADD_INFO_BODIES, key, 41)}
    when 'resolve' then ${pick(RESOLVE_BODIES, key, 42)} when 'note' then ${pick(NOTE_BODIES, key, 43)} end,
  s.internal, r.created_at + (r.updated_at - r.created_at) * s.at
from requests r
join ${stepsValues()} on s.script = ${scriptIndex('r.status', below(g, 7, 100))} and (not s.level_two or r.level = 2)
where r.id between ${plan.requestIdBase + from} and ${plan.requestIdBase + to}
order by r.id, s.step`;
}

/** Files sent with ~15 % of the requests, on their filing (metadata only: no file is written). */
export function attachmentsStatement(plan: Plan, from: number, to: number): string {
  const k = below('e.request_id', 51, ATTACHMENT_NAMES.length);
  return `
insert into attachments (request_id, event_id, storage_key, original_name, media_type, size_bytes, sha256, uploaded_by, created_at)
select e.request_id, e.id, md5('piece-jointe-' || e.id), (${textArray(ATTACHMENT_NAMES.map((a) => a[0]))})[1 + ${k}],
  (${textArray(ATTACHMENT_NAMES.map((a) => a[1]))})[1 + ${k}], 20000 + ${below('e.id', 52, 2_000_000)},
  encode(sha256(('piece-jointe-' || e.id)::bytea), 'hex'), e.actor_id, e.created_at
from request_events e
where e.kind = 'created' and e.request_id between ${plan.requestIdBase + from} and ${plan.requestIdBase + to}
  and ${below('e.request_id', 50, 100)} < 15`;
}
