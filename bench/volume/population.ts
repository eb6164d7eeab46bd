/**
 * Structures over the regions, then people: agents, experts, administrators and requesters
 * (centres and regional administrations) with the applications they use or cover.
 */
import type { Plan } from './plan.js';
import { requesterApp, requesterStructure } from './requests.js';
import { below, pick, pickId, quote, textArray, timestamp, unit } from './sql.js';
import { FIRST_NAMES, LAST_NAMES, MAIL_DOMAINS, STAFF_DOMAIN, STRUCTURE_PREFIXES, TOWNS } from './vocabulary.js';

const DIRECCTE = 'Administration régionale (DIRECCTE)';

/** Structures g = 1..n: the first `direccteStructures` are regional units, the others training centres and firms. */
export function structuresStatement(plan: Plan): string {
  const { structureBase: s0, direccteStructures: d } = plan;
  const regional = plan.natures.get(DIRECCTE) ?? null;
  const others = [...plan.natures.entries()].filter(([name]) => name !== DIRECCTE).map(([, id]) => id);
  const region = `(array[${plan.regions.join(',')}]::int[])[1 + g % ${plan.regions.length}]`;
  return `
insert into structures (id, name, region_id, nature_id, type_id, created_at)
select ${s0} + g,
  case when g <= ${d} then 'DIRECCTE – unité départementale ' || ${pick(TOWNS, 'g', 60)} || ' n° ' || (${s0} + g)
    else ${pick(STRUCTURE_PREFIXES, 'g', 61)} || ' ' || ${pick(TOWNS, 'g', 62)} || ' n° ' || (${s0} + g) end,
  ${region},
  case when g <= ${d} then ${regional ?? 'null'} else ${pickId(others, 'g', 63)} end,
  case when g <= ${d} then ${plan.types[1] ?? plan.types[0] ?? 'null'} else ${pickId(plan.types, 'g', 64)} end,
  ${timestamp(plan.now)} - interval '6 years' * ${unit('g', 65)}
from generate_series(1, ${plan.structures}) g`;
}

const fold = (expr: string) => `lower(translate(${expr}, 'ÉéèëêïîôçÀàâ’ ', 'eeeeeiiocaaa--'))`;

/** Users g = 1..n: agents, experts, administrators, then requesters (index g - staff - 1). */
export function usersStatement(plan: Plan): string {
  const { userBase: u0, agents, experts, staff } = plan;
  const role = `case when g <= ${agents} then 'agent' when g <= ${agents + experts} then 'expert'
    when g <= ${staff} then 'admin' else 'requester' end`;
  const ri = `(g - ${staff} - 1)`;
  const now = timestamp(plan.now);
  return `
insert into users (id, login, email, civility, first_name, last_name, phone, role, requester_kind, structure_id,
  password_hash, created_at, activated_at, last_login_at, notify_new_requests, knowledge_editor)
select ${u0} + g, login, login || '@' || case when role = 'requester' then ${pick(MAIL_DOMAINS, 'g', 70)} else '${STAFF_DOMAIN}' end,
  case when fi < ${FIRST_NAMES.length / 2} then 'Mme' else 'M.' end, first_name, last_name,
  '0' || (1 + g % 5) || ' ' || lpad(${below('g', 71, 100)}::text, 2, '0') || ' ' || lpad(${below('g', 72, 100)}::text, 2, '0')
    || ' ' || lpad(${below('g', 73, 100)}::text, 2, '0') || ' ' || lpad(${below('g', 74, 100)}::text, 2, '0'),
  role,
  case when role <> 'requester' then null when ${ri} % 20 = 0 then 'direccte' else 'centre' end,
  case when role = 'requester' then ${requesterStructure(plan, ri)} end,
  ${plan.passwordHash ? quote(plan.passwordHash) : 'null'}, created, created,
  ${now} - interval '90 days' * power(${unit('g', 75)}, 2),
  case when role <> 'requester' and ${below('g', 76, 4)} = 0 then 'digest' else 'immediate' end,
  role = 'agent' and g <= 5
from (
  select g, fi, role, (${textArray(FIRST_NAMES)})[1 + fi] as first_name, ${pick(LAST_NAMES, 'g', 77)} as last_name,
    ${now} - interval '6 years' * ${unit('g', 78)} as created
  from (select g, ${below('g', 79, FIRST_NAMES.length)} as fi, ${role} as role from generate_series(1, ${plan.users}) g) s
) p
cross join lateral (select ${fold('first_name')} || '.' || ${fold('last_name')} || (${u0} + g) as login) l`;
}

/** Applications: generalist agents, experts and administrators cover all; others CERES; requesters use two. */
export function userApplicationsStatement(plan: Plan): string {
  const { userBase: u0, generalists, agents, staff } = plan;
  const appOf = (salt: number) => `(array[${plan.apps.map((a) => a.id).join(',')}]::int[])[1 + ${requesterApp(plan, 'g', salt)}]`;
  return `
insert into user_applications (user_id, application_id)
select ${u0} + g, a.id from generate_series(1, ${staff}) g cross join applications a
  where g <= ${generalists} or g > ${agents} or a.id = ${plan.ceresId}
union
select ${u0} + ${staff} + 1 + g, ${appOf(11)} from generate_series(0, ${plan.requesters - 1}) g
union
select ${u0} + ${staff} + 1 + g, ${appOf(12)} from generate_series(0, ${plan.requesters - 1}) g
on conflict do nothing`;
}
