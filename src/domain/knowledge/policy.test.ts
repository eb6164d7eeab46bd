import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canEdit } from '../access.js';
import type { Actor } from '../actor.js';
import { canRead, readableAudiences } from './policy.js';

const person = (role: Actor['role']): Actor => ({
  id: 1,
  role,
  login: role,
  displayName: role,
  applicationIds: [],
  structureId: null,
});

test('anonymous visitors read public items only; requesters also signed-in ones; staff everything', () => {
  assert.deepEqual(readableAudiences(null), ['public']);
  assert.deepEqual(readableAudiences(person('requester')), ['public', 'users']);
  for (const role of ['agent', 'expert', 'admin'] as const) {
    assert.deepEqual(readableAudiences(person(role)), ['public', 'users', 'agents']);
  }
  assert.equal(canRead(person('requester'), 'agents'), false);
  assert.equal(canRead(null, 'users'), false);
});

test('administrators and appointed staff editors edit; a requester never does', () => {
  assert.equal(canEdit(person('admin')), true);
  assert.equal(canEdit({ ...person('agent'), knowledgeEditor: true }), true);
  assert.equal(canEdit(person('agent')), false);
  assert.equal(canEdit({ ...person('requester'), knowledgeEditor: true }), false);
  assert.equal(canEdit(null), false);
});
