/**
 * The request state machine, checked against the intended table written out below (not
 * derived from the rules it checks); the property over random sequences is in workflow.property.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TransitionError, ValidationError } from '../errors.js';
import type { RequestStatus } from '../vocabulary.js';
import { ACTIONS, type Action, STATUSES } from '../vocabulary.js';
import { ACTOR, COLLEAGUE, KINDS, type Kind, MESSAGE, OWNER, STILL_REOPENABLE } from './workflow.fixtures.js';
import { allowedActions, allows, decide, messageRequired, type RequestState } from './workflow.js';

/**
 * The intended table. Each cell: level 1 then level 2, statuses in the order
 * Nouvelle, En cours, En attente de complément, Traitée, Clôturée; x = allowed.
 */
const TABLE: Record<Action, Record<Kind, string>> = {
  take: {
    owner: '..... .....',
    stranger: '..... .....',
    agent: 'xxx.. .....',
    'agent*': '..... .....',
    expert: '..... xxx..',
    'expert*': '..... .....',
    admin: 'xxx.. xxx..',
    'admin*': '..... .....',
    system: '..... .....',
  },
  ask_info: {
    owner: '..... .....',
    stranger: '..... .....',
    agent: 'xx... .....',
    'agent*': 'xx... .....',
    expert: '..... xx...',
    'expert*': '..... xx...',
    admin: 'xx... xx...',
    'admin*': 'xx... xx...',
    system: '..... .....',
  },
  resolve: {
    owner: '..... .....',
    stranger: '..... .....',
    agent: 'xxx.. .....',
    'agent*': 'xxx.. .....',
    expert: '..... xxx..',
    'expert*': '..... xxx..',
    admin: 'xxx.. xxx..',
    'admin*': 'xxx.. xxx..',
    system: '..... .....',
  },
  escalate: {
    owner: '..... .....',
    stranger: '..... .....',
    agent: 'xxx.. .....',
    'agent*': 'xxx.. .....',
    expert: '..... .....',
    'expert*': '..... .....',
    admin: 'xxx.. .....',
    'admin*': 'xxx.. .....',
    system: '..... .....',
  },
  send_back: {
    owner: '..... .....',
    stranger: '..... .....',
    agent: '..... .....',
    'agent*': '..... .....',
    expert: '..... xxx..',
    'expert*': '..... xxx..',
    admin: '..... xxx..',
    'admin*': '..... xxx..',
    system: '..... .....',
  },
  internal_note: {
    owner: '..... .....',
    stranger: '..... .....',
    agent: 'xxxxx xxxxx',
    'agent*': 'xxxxx xxxxx',
    expert: 'xxxxx xxxxx',
    'expert*': 'xxxxx xxxxx',
    admin: 'xxxxx xxxxx',
    'admin*': 'xxxxx xxxxx',
    system: '..... .....',
  },
  reassign: {
    owner: '..... .....',
    stranger: '..... .....',
    agent: 'xxx.. .....',
    'agent*': 'xxx.. .....',
    expert: '..... xxx..',
    'expert*': '..... xxx..',
    admin: 'xxx.. xxx..',
    'admin*': 'xxx.. xxx..',
    system: '..... .....',
  },
  add_info: {
    owner: 'xxx.. xxx..',
    stranger: '..... .....',
    agent: '..... .....',
    'agent*': '..... .....',
    expert: '..... .....',
    'expert*': '..... .....',
    admin: '..... .....',
    'admin*': '..... .....',
    system: '..... .....',
  },
  accept: {
    owner: '...x. ...x.',
    stranger: '..... .....',
    agent: '..... .....',
    'agent*': '..... .....',
    expert: '..... .....',
    'expert*': '..... .....',
    admin: '..... .....',
    'admin*': '..... .....',
    system: '..... .....',
  },
  refuse: {
    owner: '...x. ...x.',
    stranger: '..... .....',
    agent: '..... .....',
    'agent*': '..... .....',
    expert: '..... .....',
    'expert*': '..... .....',
    admin: '..... .....',
    'admin*': '..... .....',
    system: '..... .....',
  },
  auto_close: {
    owner: '..... .....',
    stranger: '..... .....',
    agent: '..... .....',
    'agent*': '..... .....',
    expert: '..... .....',
    'expert*': '..... .....',
    admin: '..... .....',
    'admin*': '..... .....',
    system: '...x. ...x.',
  },
  mark_duplicate: {
    owner: '..... .....',
    stranger: '..... .....',
    agent: 'xxx.. .....',
    'agent*': 'xxx.. .....',
    expert: '..... xxx..',
    'expert*': '..... xxx..',
    admin: 'xxx.. xxx..',
    'admin*': 'xxx.. xxx..',
    system: '..... .....',
  },
  // The requester's delay after closing has not run out in these states (see the test of its end below).
  reopen: {
    owner: '....x ....x',
    stranger: '..... .....',
    agent: '....x .....',
    'agent*': '....x .....',
    expert: '..... ....x',
    'expert*': '..... ....x',
    admin: '....x ....x',
    'admin*': '....x ....x',
    system: '..... .....',
  },
};

const STATUS_ORDER: RequestStatus[] = ['new', 'in_progress', 'awaiting_info', 'resolved', 'closed'];

function expected(action: Action, kind: Kind, status: RequestStatus, level: 1 | 2): boolean {
  const cell = TABLE[action][kind].replace(' ', '');
  return cell[(level - 1) * 5 + STATUS_ORDER.indexOf(status)] === 'x';
}

/** The states a kind of actor may meet: starred kinds are the assignee; others meet no assignee or a colleague. */
function statesFor(kind: Kind, status: RequestStatus, level: 1 | 2): RequestState[] {
  const base = { status, level, requesterId: OWNER, reopenableUntil: STILL_REOPENABLE };
  const actor = ACTOR[kind];
  if (kind.endsWith('*')) return [{ ...base, assigneeId: actor.id }];
  return [
    { ...base, assigneeId: null },
    { ...base, assigneeId: COLLEAGUE },
  ];
}

/** Every cell of the table, with the states it stands for. */
function* cells() {
  for (const action of ACTIONS) {
    for (const kind of KINDS) {
      for (const level of [1, 2] as const) {
        for (const status of STATUSES) {
          for (const state of statesFor(kind, status, level)) {
            yield { action, kind, level, status, state, allowed: expected(action, kind, status, level) };
          }
        }
      }
    }
  }
}

describe('workflow: who may do what, from which status and level', () => {
  test('the table covers every action, status and kind of actor', () => {
    assert.deepEqual([...STATUSES].sort(), [...STATUS_ORDER].sort());
    assert.deepEqual(Object.keys(TABLE).sort(), [...ACTIONS].sort());
    for (const action of ACTIONS) assert.deepEqual(Object.keys(TABLE[action]).sort(), [...KINDS].sort(), action);
  });

  test('allows() matches the table in every cell', () => {
    const mismatches: string[] = [];
    let count = 0;
    for (const { action, kind, level, status, state, allowed } of cells()) {
      count++;
      if (allows(state, ACTOR[kind], action) !== allowed) {
        mismatches.push(
          `${action} by ${kind} at level ${level} from ${status} (assignee ${state.assigneeId}): expected ${allowed}`,
        );
      }
    }
    assert.ok(count > 1000);
    assert.deepEqual(mismatches, []);
  });

  test('allowedActions() lists exactly the allowed actions, in a stable order', () => {
    for (const kind of KINDS) {
      for (const level of [1, 2] as const) {
        for (const status of STATUSES) {
          for (const state of statesFor(kind, status, level)) {
            const want = ACTIONS.filter((a) => expected(a, kind, status, level));
            assert.deepEqual(allowedActions(state, ACTOR[kind]), want, `${kind} level ${level} ${status}`);
          }
        }
      }
    }
  });

  test('a forbidden action throws a TransitionError (409), even with a message', () => {
    let forbidden = 0;
    for (const { action, kind, state, allowed } of cells()) {
      if (allowed) continue;
      forbidden++;
      assert.throws(
        () => decide(state, ACTOR[kind], action, { message: MESSAGE, assigneeId: null }),
        (error: unknown) => error instanceof TransitionError && error.status === 409 && /n’est pas possible/.test(error.message),
        `${action} by ${kind} from ${state.status}`,
      );
    }
    assert.ok(forbidden > 1000);
  });

  test('nothing but an internal note or reopening is possible on a closed request', () => {
    for (const kind of KINDS) {
      for (const level of [1, 2] as const) {
        for (const state of statesFor(kind, 'closed', level)) {
          for (const action of allowedActions(state, ACTOR[kind]))
            assert.ok(['internal_note', 'reopen'].includes(action), action);
        }
      }
    }
  });

  test('a requester never acts on somebody else’s request', () => {
    for (const level of [1, 2] as const) {
      for (const status of STATUSES) {
        const state: RequestState = { status, level, requesterId: OWNER, assigneeId: null };
        assert.deepEqual(allowedActions(state, ACTOR.stranger), []);
      }
    }
  });
});

describe('workflow: messages', () => {
  const REQUIRED: Action[] = ['ask_info', 'resolve', 'escalate', 'send_back', 'internal_note', 'add_info', 'refuse', 'reopen'];
  const OPTIONAL: Action[] = ['take', 'reassign', 'accept', 'auto_close', 'mark_duplicate'];

  test('exactly these actions need a message', () => {
    assert.deepEqual([...REQUIRED, ...OPTIONAL].sort(), [...ACTIONS].sort());
    for (const action of REQUIRED) assert.equal(messageRequired(action), true, action);
    for (const action of OPTIONAL) assert.equal(messageRequired(action), false, action);
  });

  test('an allowed action without its required message is refused on the message field, blank counts as missing', () => {
    for (const { action, kind, state, allowed } of cells()) {
      if (!allowed) continue;
      for (const message of [undefined, '', '   \n\t ']) {
        if (messageRequired(action)) {
          assert.throws(
            () => decide(state, ACTOR[kind], action, { message }),
            (error: unknown) =>
              error instanceof ValidationError && error.status === 422 && /obligatoire/.test(error.fields.message ?? ''),
            `${action} by ${kind}`,
          );
        } else {
          assert.doesNotThrow(() => decide(state, ACTOR[kind], action, { message }), `${action} by ${kind}`);
        }
      }
    }
  });
});

/** Where each allowed action leads: status by starting status, level, assignee. */
type Outcome = {
  status: Partial<Record<RequestStatus, RequestStatus>>;
  level: 'same' | 1 | 2;
  assignee: 'same' | 'actor' | 'same or actor' | 'none' | 'chosen';
  internal: boolean;
  privateMessage: boolean;
};

const OPEN_SAME = { new: 'new', in_progress: 'in_progress', awaiting_info: 'awaiting_info' } as const;

const OUTCOMES: Record<Action, Outcome> = {
  take: {
    status: { new: 'in_progress', in_progress: 'in_progress', awaiting_info: 'awaiting_info' },
    level: 'same',
    assignee: 'actor',
    internal: false,
    privateMessage: false,
  },
  ask_info: {
    status: { new: 'awaiting_info', in_progress: 'awaiting_info' },
    level: 'same',
    assignee: 'same or actor',
    internal: false,
    privateMessage: false,
  },
  resolve: {
    status: { new: 'resolved', in_progress: 'resolved', awaiting_info: 'resolved' },
    level: 'same',
    assignee: 'same or actor',
    internal: false,
    privateMessage: false,
  },
  escalate: { status: OPEN_SAME, level: 2, assignee: 'none', internal: false, privateMessage: true },
  send_back: { status: OPEN_SAME, level: 1, assignee: 'none', internal: false, privateMessage: true },
  internal_note: {
    status: { ...OPEN_SAME, resolved: 'resolved', closed: 'closed' },
    level: 'same',
    assignee: 'same',
    internal: true,
    privateMessage: false,
  },
  // Reassigning a new request to somebody starts its handling (see the test below).
  reassign: { status: OPEN_SAME, level: 'same', assignee: 'chosen', internal: true, privateMessage: false },
  add_info: {
    status: { new: 'new', in_progress: 'in_progress', awaiting_info: 'in_progress' },
    level: 'same',
    assignee: 'same',
    internal: false,
    privateMessage: false,
  },
  accept: { status: { resolved: 'closed' }, level: 'same', assignee: 'same', internal: false, privateMessage: false },
  refuse: { status: { resolved: 'in_progress' }, level: 'same', assignee: 'same', internal: false, privateMessage: false },
  auto_close: { status: { resolved: 'closed' }, level: 'same', assignee: 'same', internal: false, privateMessage: false },
  mark_duplicate: {
    status: { new: 'closed', in_progress: 'closed', awaiting_info: 'closed' },
    level: 'same',
    assignee: 'same or actor',
    internal: false,
    privateMessage: false,
  },
  reopen: { status: { closed: 'in_progress' }, level: 'same', assignee: 'same', internal: false, privateMessage: false },
};

describe('workflow: outcomes of allowed transitions', () => {
  test('status, level, assignee and event of every allowed cell', () => {
    for (const { action, kind, state, allowed } of cells()) {
      if (!allowed) continue;
      const actor = ACTOR[kind];
      const chosen = action === 'reassign' ? [null, COLLEAGUE] : [undefined];
      for (const assigneeId of chosen) {
        const label = `${action} by ${kind} from ${state.status}/${state.level} (assignee ${state.assigneeId} → ${assigneeId})`;
        const out = decide(state, actor, action, { message: MESSAGE, assigneeId });
        const want = OUTCOMES[action];
        let status = want.status[state.status];
        if (action === 'reassign' && state.status === 'new' && assigneeId) status = 'in_progress';
        assert.equal(out.status, status, label);
        assert.equal(out.level, want.level === 'same' ? state.level : want.level, label);
        const assignee = {
          same: state.assigneeId,
          actor: actor.id,
          'same or actor': state.assigneeId ?? actor.id,
          none: null,
          chosen: assigneeId ?? null,
        }[want.assignee];
        assert.equal(out.assigneeId, assignee, label);
        assert.equal(out.event, action, label);
        assert.equal(out.internal, want.internal, label);
        assert.equal(out.privateMessage, want.privateMessage, label);
        assert.equal(out.messageRequired, messageRequired(action), label);
      }
    }
  });

  test('decide() does not change the state it is given', () => {
    const state: RequestState = { status: 'new', level: 1, assigneeId: null, requesterId: OWNER };
    const copy = { ...state };
    decide(state, ACTOR.agent, 'take');
    decide(state, ACTOR.agent, 'escalate', { message: MESSAGE });
    assert.deepEqual(state, copy);
  });
});
