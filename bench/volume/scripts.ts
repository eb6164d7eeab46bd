/**
 * The histories a generated request may have, one script per final status and variant. The request's
 * service-level columns are read from the same scripts, so they match its events.
 */

import type { RequestStatus } from '../../src/domain/vocabulary.js';
import { quote } from './sql.js';

/** Who acts: the request's creator, its assignee, the level-1 agent who routed it, its requester, the scheduler. */
type ActorKind = 'creator' | 'assignee' | 'router' | 'requester' | 'system';
type BodyKind = 'ask' | 'add' | 'resolve' | 'note' | null;

export type Step = {
  kind: string;
  from: RequestStatus | null;
  to: RequestStatus | null;
  /** When, as a fraction of the time between filing and the last update. */
  at: number;
  actor: ActorKind;
  body: BodyKind;
  internal?: boolean;
  /** Only for requests escalated to level 2. */
  levelTwo?: boolean;
};

export type Script = { status: RequestStatus /** Share of the status's requests, per cent. */; share: number; steps: Step[] };

const created: Step = { kind: 'created', from: null, to: 'new', at: 0, actor: 'creator', body: null };
const take = (at: number): Step => ({ kind: 'take', from: 'new', to: 'in_progress', at, actor: 'router', body: null });
const escalation = (at: number): Step[] => [
  { kind: 'escalate', from: 'in_progress', to: 'in_progress', at, actor: 'router', body: null, levelTwo: true },
  { kind: 'internal_note', from: null, to: null, at, actor: 'router', body: 'note', internal: true, levelTwo: true },
];
const ask = (at: number): Step => ({
  kind: 'ask_info',
  from: 'in_progress',
  to: 'awaiting_info',
  at,
  actor: 'assignee',
  body: 'ask',
});
const add = (at: number): Step => ({
  kind: 'add_info',
  from: 'awaiting_info',
  to: 'in_progress',
  at,
  actor: 'requester',
  body: 'add',
});
const note = (at: number): Step => ({
  kind: 'internal_note',
  from: null,
  to: null,
  at,
  actor: 'assignee',
  body: 'note',
  internal: true,
});
const resolve = (at: number): Step => ({
  kind: 'resolve',
  from: 'in_progress',
  to: 'resolved',
  at,
  actor: 'assignee',
  body: 'resolve',
});
const accept: Step = { kind: 'accept', from: 'resolved', to: 'closed', at: 1, actor: 'requester', body: null };
const autoClose: Step = { kind: 'auto_close', from: 'resolved', to: 'closed', at: 1, actor: 'system', body: null };

export const SCRIPTS: Script[] = [
  { status: 'new', share: 75, steps: [created] },
  {
    status: 'new',
    share: 25,
    steps: [created, { kind: 'add_info', from: 'new', to: 'new', at: 1, actor: 'requester', body: 'add' }],
  },
  { status: 'in_progress', share: 50, steps: [created, take(0.3), ...escalation(0.4), note(1)] },
  { status: 'in_progress', share: 30, steps: [created, take(0.3), ...escalation(0.35)] },
  { status: 'in_progress', share: 20, steps: [created, take(0.2), ...escalation(0.3), ask(0.5), add(1)] },
  { status: 'awaiting_info', share: 100, steps: [created, take(0.3), ...escalation(0.4), ask(1)] },
  { status: 'resolved', share: 70, steps: [created, take(0.2), ...escalation(0.3), resolve(1)] },
  { status: 'resolved', share: 30, steps: [created, take(0.2), ...escalation(0.3), ask(0.4), add(0.6), resolve(1)] },
  { status: 'closed', share: 60, steps: [created, take(0.1), ...escalation(0.2), resolve(0.5), autoClose] },
  {
    status: 'closed',
    share: 15,
    steps: [created, take(0.1), ...escalation(0.15), ask(0.25), add(0.35), resolve(0.6), accept],
  },
  { status: 'closed', share: 20, steps: [created, { ...resolve(0.6), from: 'new' }, accept] },
  { status: 'closed', share: 5, steps: [created, take(0.2), ...escalation(0.25), note(0.4), resolve(0.7), accept] },
];

/** The script of a request, as SQL: from its status and a pseudo-random per cent `roll`. */
export function scriptIndex(status: string, roll: string): string {
  const branches: string[] = [];
  for (const s of new Set(SCRIPTS.map((x) => x.status))) {
    let sum = 0;
    const own = SCRIPTS.map((x, i) => ({ x, i })).filter(({ x }) => x.status === s);
    const cases = own.slice(0, -1).map(({ x, i }) => {
      sum += x.share;
      return `when ${roll} < ${sum} then ${i}`;
    });
    const last = own.at(-1)!.i;
    branches.push(`when ${quote(s)} then ${cases.length ? `(case ${cases.join(' ')} else ${last} end)` : last}`);
  }
  return `(case ${status} ${branches.join(' ')} end)`;
}

/** A per-script fraction as SQL (null when the script has no such step). */
export function stepFraction(script: string, kinds: string[], which: 'first' | 'last'): string {
  const branches = SCRIPTS.map((s, i) => {
    const steps = s.steps.filter((st) => kinds.includes(st.kind));
    const step = which === 'first' ? steps[0] : steps.at(-1);
    return `when ${i} then ${step ? step.at : 'null'}`;
  });
  return `(case ${script} ${branches.join(' ')} end)::float8`;
}

/** The scripts' steps as a VALUES list: (script, step, kind, from, to, at, actor, body, internal, level_two). */
export function stepsValues(): string {
  const rows = SCRIPTS.flatMap((s, i) =>
    s.steps.map(
      (st, n) =>
        `(${i}, ${n}, ${quote(st.kind)}, ${st.from ? quote(st.from) : 'null'}, ${st.to ? quote(st.to) : 'null'}, ` +
        `${st.at}::float8, ${quote(st.actor)}, ${st.body ? quote(st.body) : 'null'}, ${st.internal ?? false}, ${st.levelTwo ?? false})`,
    ),
  );
  return `(values ${rows.join(', ')}) as s(script, step, kind, from_status, to_status, at, actor, body, internal, level_two)`;
}
