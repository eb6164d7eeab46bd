/** Reopening a closed request: the requester within the delay set at closing, the desk at any time. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../errors.js';
import { ACTOR, AGENT, OWNER, STILL_REOPENABLE } from './workflow.fixtures.js';
import { allows, decide, type RequestState } from './workflow.js';

test('the requester may reopen until the delay after closing runs out; the desk at any time', () => {
  const closed: RequestState = { status: 'closed', level: 1, assigneeId: AGENT, requesterId: OWNER };
  const past = new Date(Date.now() - 1000);
  assert.equal(allows({ ...closed, reopenableUntil: STILL_REOPENABLE }, ACTOR.owner, 'reopen'), true);
  assert.equal(allows({ ...closed, reopenableUntil: past }, ACTOR.owner, 'reopen'), false, 'the delay has run out');
  assert.equal(allows({ ...closed, reopenableUntil: null }, ACTOR.owner, 'reopen'), false, 'closed before the delay existed');
  assert.equal(allows({ ...closed, reopenableUntil: past }, ACTOR.agent, 'reopen'), true, 'the desk, after the delay');
  assert.throws(() => decide({ ...closed, reopenableUntil: STILL_REOPENABLE }, ACTOR.owner, 'reopen'), ValidationError);
});
