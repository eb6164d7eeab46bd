/**
 * The access matrix of requests, cell by cell, written out (not derived from the policy).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Area, canUse, isStaff } from '../access.js';
import type { Actor } from '../actor.js';
import type { Action, RequestStatus, Role } from '../vocabulary.js';
import { actionsFor, can, canSee, type RequestAccess } from './policy.js';

const APP_A = 1;
const APP_B = 2;

const actor = (id: number, role: Role, applicationIds: number[]): Actor => ({
  id,
  role,
  login: `user${id}`,
  displayName: `User ${id}`,
  applicationIds,
  structureId: role === 'requester' ? id : null,
});

const ACTORS = {
  centre: actor(1, 'requester', [APP_A]),
  direccte: actor(2, 'requester', [APP_A, APP_B]),
  agentAB: actor(10, 'agent', [APP_A, APP_B]),
  agentB: actor(11, 'agent', [APP_B]),
  agentNone: actor(12, 'agent', []),
  expertA: actor(20, 'expert', [APP_A]),
  expertNone: actor(21, 'expert', []),
  admin: actor(30, 'admin', []),
} satisfies Record<string, Actor>;
type Who = keyof typeof ACTORS;

const request = (
  applicationId: number,
  level: 1 | 2,
  requesterId: number,
  createdById = requesterId,
  status: RequestStatus = 'new',
): RequestAccess => ({ applicationId, level, requesterId, createdById, status, assigneeId: null });

const REQUESTS = {
  centreA1: request(APP_A, 1, 1),
  centreA2: request(APP_A, 2, 1),
  direccteB1: request(APP_B, 1, 2),
  direccteB2: request(APP_B, 2, 2),
  /** Filed by the DIRECCTE for somebody else (person 99). */
  forOtherA1: request(APP_A, 1, 99, 2),
  /** Filed by an agent for the centre (telephone). */
  byAgentA1: request(APP_A, 1, 1, 10),
} satisfies Record<string, RequestAccess>;
type Which = keyof typeof REQUESTS;

/** Who sees what; x = visible. Columns in the order of REQUESTS. */
const SEES: Record<Who, string> = {
  //         centreA1 centreA2 direccteB1 direccteB2 forOtherA1 byAgentA1
  centre: 'x x . . . x',
  direccte: '. . x x x .',
  agentAB: 'x x x x x x',
  agentB: '. . x x . .',
  agentNone: '. . . . . .',
  expertA: '. x . . . .',
  expertNone: '. . . . . .',
  admin: 'x x x x x x',
};

describe('policy: who sees which request', () => {
  const columns = Object.keys(REQUESTS) as Which[];
  for (const who of Object.keys(ACTORS) as Who[]) {
    const row = SEES[who].split(' ');
    for (const [i, which] of columns.entries()) {
      const visible = row[i] === 'x';
      test(`${who} ${visible ? 'sees' : 'does not see'} ${which}`, () => {
        assert.equal(canSee(ACTORS[who], REQUESTS[which]), visible);
      });
    }
  }

  test('visibility does not depend on the status', () => {
    for (const status of ['new', 'in_progress', 'awaiting_info', 'resolved', 'closed'] as const) {
      for (const who of Object.keys(ACTORS) as Who[]) {
        for (const [i, which] of (Object.keys(REQUESTS) as Which[]).entries()) {
          assert.equal(
            canSee(ACTORS[who], { ...REQUESTS[which], status }),
            SEES[who].split(' ')[i] === 'x',
            `${who} ${which} ${status}`,
          );
        }
      }
    }
  });

  test('an unknown role sees nothing', () => {
    const stranger = { ...ACTORS.admin, role: 'auditor' as Role };
    assert.equal(canSee(stranger, REQUESTS.centreA1), false);
    assert.equal(can(stranger, 'internal_note', REQUESTS.centreA1), false);
  });
});

describe('policy: can = sees and the workflow allows', () => {
  /** [who, action, request (status), allowed] */
  const CASES: [Who, Action, RequestAccess, boolean][] = [
    // Staff act on what they see, at their level.
    ['agentAB', 'take', REQUESTS.centreA1, true],
    ['agentB', 'take', REQUESTS.centreA1, false],
    ['agentNone', 'take', REQUESTS.centreA1, false],
    ['agentNone', 'internal_note', REQUESTS.centreA1, false],
    ['agentAB', 'take', REQUESTS.centreA2, false],
    ['agentAB', 'internal_note', REQUESTS.centreA2, true],
    ['agentAB', 'escalate', REQUESTS.centreA1, true],
    ['agentAB', 'send_back', REQUESTS.centreA2, false],
    ['expertA', 'take', REQUESTS.centreA2, true],
    ['expertA', 'send_back', REQUESTS.centreA2, true],
    ['expertA', 'resolve', REQUESTS.centreA1, false],
    ['expertA', 'internal_note', REQUESTS.centreA1, false],
    ['expertA', 'take', REQUESTS.direccteB2, false],
    ['expertNone', 'take', REQUESTS.centreA2, false],
    ['admin', 'take', REQUESTS.centreA1, true],
    ['admin', 'take', REQUESTS.direccteB2, true],
    ['admin', 'send_back', REQUESTS.direccteB2, true],
    ['admin', 'add_info', REQUESTS.centreA1, false],
    ['admin', 'accept', { ...REQUESTS.centreA1, status: 'resolved' }, false],
    // Requesters act on their own requests only.
    ['centre', 'add_info', REQUESTS.centreA1, true],
    ['centre', 'add_info', REQUESTS.byAgentA1, true],
    ['centre', 'accept', { ...REQUESTS.centreA1, status: 'resolved' }, true],
    ['centre', 'refuse', { ...REQUESTS.centreA2, status: 'resolved' }, true],
    ['centre', 'accept', REQUESTS.centreA1, false],
    ['centre', 'take', REQUESTS.centreA1, false],
    ['centre', 'resolve', REQUESTS.centreA1, false],
    ['centre', 'internal_note', REQUESTS.centreA1, false],
    ['centre', 'add_info', REQUESTS.direccteB1, false],
    ['direccte', 'add_info', REQUESTS.centreA1, false],
    ['direccte', 'accept', { ...REQUESTS.centreA1, status: 'resolved' }, false],
    ['direccte', 'add_info', REQUESTS.direccteB1, true],
    // Closed: notes only.
    ['admin', 'resolve', { ...REQUESTS.centreA1, status: 'closed' }, false],
    ['agentAB', 'internal_note', { ...REQUESTS.centreA1, status: 'closed' }, true],
    ['centre', 'add_info', { ...REQUESTS.centreA1, status: 'closed' }, false],
  ];
  for (const [who, action, req, allowed] of CASES) {
    test(`${who} ${allowed ? 'may' : 'may not'} ${action} (${req.status}, level ${req.level}, app ${req.applicationId})`, () => {
      assert.equal(can(ACTORS[who], action, req), allowed);
    });
  }

  test('actionsFor offers nothing on a request the actor may not see', () => {
    assert.deepEqual(actionsFor(ACTORS.agentB, REQUESTS.centreA1), []);
    assert.deepEqual(actionsFor(ACTORS.direccte, REQUESTS.centreA1), []);
    assert.deepEqual(actionsFor(ACTORS.expertA, REQUESTS.centreA1), []);
    assert.deepEqual(actionsFor(ACTORS.agentNone, REQUESTS.centreA1), []);
  });

  test('actionsFor offers what can() allows', () => {
    assert.deepEqual(actionsFor(ACTORS.centre, REQUESTS.centreA1), ['add_info']);
    assert.deepEqual(actionsFor(ACTORS.centre, { ...REQUESTS.centreA1, status: 'resolved' }), ['accept', 'refuse']);
    assert.deepEqual(actionsFor(ACTORS.agentAB, REQUESTS.centreA1), [
      'take',
      'ask_info',
      'resolve',
      'escalate',
      'internal_note',
      'reassign',
      'mark_duplicate',
    ]);
    assert.deepEqual(actionsFor(ACTORS.expertA, REQUESTS.centreA2), [
      'take',
      'ask_info',
      'resolve',
      'send_back',
      'internal_note',
      'reassign',
      'mark_duplicate',
    ]);
  });
});

describe('policy: sharing within a structure (setting)', () => {
  const S1 = 100;
  const S2 = 200;
  const inStructure = (who: Actor, structureId: number | null): Actor => ({ ...who, structureId });
  const PEOPLE = {
    centre: inStructure(ACTORS.centre, S1),
    colleague: inStructure(actor(3, 'requester', [APP_A]), S1),
    otherCentre: inStructure(actor(4, 'requester', [APP_A]), S2),
    noStructure: inStructure(actor(5, 'requester', [APP_A]), null),
    direccte: inStructure(ACTORS.direccte, S2),
    agentAB: ACTORS.agentAB,
    expertA: ACTORS.expertA,
  } satisfies Record<string, Actor>;
  type Person = keyof typeof PEOPLE;
  const at = (req: RequestAccess, structureId: number | null): RequestAccess => ({ ...req, structureId });
  const FILED = {
    centreA1: at(REQUESTS.centreA1, S1),
    colleagueA2: at(request(APP_A, 2, 3), S1),
    byAgentA1: at(REQUESTS.byAgentA1, S1),
    otherA1: at(request(APP_A, 1, 4), S2),
    direccteB1: at(REQUESTS.direccteB1, S2),
    noStructureA1: at(request(APP_A, 1, 5), null),
    /** Filed by a person without structure, like the colleague's without: never shared through « no structure ». */
    strayA1: at(request(APP_A, 1, 6), null),
  } satisfies Record<string, RequestAccess>;
  type Filed = keyof typeof FILED;

  /** Columns in the order of FILED; setting off, then on. */
  const SEES_SHARED: Record<Person, [string, string]> = {
    //                centreA1 colleagueA2 byAgentA1 otherA1 direccteB1 noStructureA1 strayA1
    centre: ['x . x . . . .', 'x x x . . . .'],
    colleague: ['. x . . . . .', 'x x x . . . .'],
    otherCentre: ['. . . x . . .', '. . . x x . .'],
    noStructure: ['. . . . . x .', '. . . . . x .'],
    direccte: ['. . . . x . .', '. . . x x . .'],
    agentAB: ['x x x x x x x', 'x x x x x x x'],
    expertA: ['. x . . . . .', '. x . . . . .'],
  };
  const columns = Object.keys(FILED) as Filed[];
  for (const [i, shareWithinStructure] of [false, true].entries()) {
    for (const who of Object.keys(PEOPLE) as Person[]) {
      test(`setting ${shareWithinStructure ? 'on' : 'off'}: ${who} sees ${SEES_SHARED[who][i]}`, () => {
        const seen = columns.map((c) => (canSee(PEOPLE[who], FILED[c], { shareWithinStructure }) ? 'x' : '.')).join(' ');
        assert.equal(seen, SEES_SHARED[who][i]);
      });
    }
  }

  test('without the flag passed in, nothing is shared', () => {
    assert.equal(canSee(PEOPLE.colleague, FILED.centreA1), false);
  });

  test('a colleague reads, never acts: no add_info, accept or refuse on the other’s request', () => {
    const sharing = { shareWithinStructure: true };
    for (const status of ['new', 'in_progress', 'awaiting_info', 'resolved', 'closed'] as const) {
      const req = { ...FILED.centreA1, status };
      assert.deepEqual(actionsFor(PEOPLE.colleague, req, sharing), [], status);
      for (const action of ['add_info', 'accept', 'refuse'] as const)
        assert.equal(can(PEOPLE.colleague, action, req, sharing), false);
    }
    assert.equal(can(PEOPLE.centre, 'accept', { ...FILED.centreA1, status: 'resolved' }, sharing), true);
    assert.equal(isStaff(PEOPLE.colleague), false);
  });
});

describe('policy: internal notes and areas', () => {
  test('only staff see internal notes', () => {
    assert.equal(isStaff(ACTORS.centre), false);
    assert.equal(isStaff(ACTORS.direccte), false);
    assert.equal(isStaff(ACTORS.agentNone), true);
    assert.equal(isStaff(ACTORS.expertA), true);
    assert.equal(isStaff(ACTORS.admin), true);
  });

  /** Who may use which surface; x = allowed. Columns: portal, fileRequest, desk, admin, pilotage. */
  const AREAS: Area[] = ['portal', 'fileRequest', 'desk', 'admin', 'pilotage'];
  // « editing » also depends on the appointment: see knowledge/policy.test.ts.
  const USES: Record<Role | 'anonymous', string> = {
    anonymous: '. . . . .',
    requester: 'x x . . .',
    agent: 'x . x . .',
    expert: 'x . x . .',
    admin: 'x . x x x',
    pilot: '. . . . x',
  };
  for (const [role, row] of Object.entries(USES)) {
    for (const [i, area] of AREAS.entries()) {
      const allowed = row.split(' ')[i] === 'x';
      test(`${role} ${allowed ? 'may' : 'may not'} use ${area}`, () => {
        const who = role === 'anonymous' ? null : actor(5, role as Role, [APP_A]);
        assert.equal(canUse(who, area), allowed);
      });
    }
  }

  test('an unknown role uses nothing (deny by default)', () => {
    for (const area of AREAS) assert.equal(canUse(actor(6, 'auditor' as Role, []), area), false);
  });
});
