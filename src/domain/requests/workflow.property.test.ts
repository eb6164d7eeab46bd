/**
 * The request state machine, by a property: any sequence of allowed actions keeps a request valid.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { TransitionError } from '../errors.js';
import { ACTIONS, STATUSES } from '../vocabulary.js';
import { ACTOR, ADMIN, AGENT, COLLEAGUE, EXPERT, MESSAGE, OWNER } from './workflow.fixtures.js';
import { allowedActions, decide, type RequestState, type WorkflowActor } from './workflow.js';

describe('workflow: any sequence of allowed actions keeps the request valid (property)', () => {
  const ACTORS: WorkflowActor[] = [
    ACTOR.owner,
    ACTOR.stranger,
    ACTOR.agent,
    { id: COLLEAGUE, role: 'agent' },
    ACTOR.expert,
    ACTOR.admin,
    ACTOR.system,
  ];
  const STAFF_IDS = [AGENT, COLLEAGUE, EXPERT, ADMIN];
  const step = fc.record({
    actor: fc.nat({ max: ACTORS.length - 1 }),
    pick: fc.nat(),
    assignee: fc.option(fc.constantFrom(...STAFF_IDS), { nil: null }),
    forbidden: fc.constantFrom(...ACTIONS),
  });

  test('status in the set, level 1 or 2, closed only through accept, auto-close or a duplicate, left only by reopening', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        let state: RequestState = { status: 'new', level: 1, assigneeId: null, requesterId: OWNER };
        for (const s of steps) {
          const actor = ACTORS[s.actor]!;
          const allowed = allowedActions(state, actor);
          // An action the table forbids here is refused and changes nothing.
          if (!allowed.includes(s.forbidden)) {
            assert.throws(() => decide(state, actor, s.forbidden, { message: MESSAGE }), TransitionError);
          }
          if (allowed.length === 0) continue;
          const action = allowed[s.pick % allowed.length]!;
          const before = state;
          const next = decide(state, actor, action, { message: MESSAGE, assigneeId: s.assignee });
          state = { ...state, status: next.status, level: next.level, assigneeId: next.assigneeId };

          assert.ok(STATUSES.includes(state.status), state.status);
          assert.ok(state.level === 1 || state.level === 2);
          assert.ok(state.assigneeId === null || STAFF_IDS.includes(state.assigneeId), `assignee ${state.assigneeId}`);
          assert.equal(state.requesterId, OWNER);
          if (state.status === 'closed' && before.status !== 'closed')
            assert.ok(['accept', 'auto_close', 'mark_duplicate'].includes(action));
          // A closed request stays as it is but for a note, or is reopened into « En cours », same level and assignee.
          if (before.status === 'closed' && action !== 'reopen') {
            assert.equal(action, 'internal_note');
            assert.deepEqual(state, before);
          }
          if (action === 'reopen') assert.deepEqual(state, { ...before, status: 'in_progress' });
          if (action !== 'escalate' && action !== 'send_back') assert.equal(state.level, before.level);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('every status and level is reachable from a new request', () => {
    const key = (s: RequestState) => `${s.status}/${s.level}/${s.assigneeId}`;
    const start: RequestState = { status: 'new', level: 1, assigneeId: null, requesterId: OWNER };
    const visited = new Map<string, RequestState>([[key(start), start]]);
    const queue = [start];
    while (queue.length) {
      const state = queue.shift()!;
      for (const actor of ACTORS) {
        for (const action of allowedActions(state, actor)) {
          const out = decide(state, actor, action, { message: MESSAGE, assigneeId: COLLEAGUE });
          const next = { ...state, status: out.status, level: out.level, assigneeId: out.assigneeId };
          if (!visited.has(key(next))) {
            visited.set(key(next), next);
            queue.push(next);
          }
        }
      }
    }
    const reached = [...visited.values()];
    assert.deepEqual([...new Set(reached.map((s) => s.status))].sort(), [...STATUSES].sort());
    assert.deepEqual([...new Set(reached.map((s) => s.level))].sort(), [1, 2]);
  });
});
