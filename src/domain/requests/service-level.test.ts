import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_SETTINGS } from '../settings/settings.js';
import { dueOf, type ServiceLevelFacts, targetsOf } from './service-level.js';

const at = (iso: string) => new Date(iso);

/** A blocking request filed Monday 7 December 2026 at 9:00: first response due 13:00, resolution Tuesday 18:00. */
const filed: ServiceLevelFacts = {
  status: 'new',
  blocking: true,
  firstResponseDueAt: at('2026-12-07T13:00:00+01:00'),
  resolutionDueAt: at('2026-12-08T18:00:00+01:00'),
  firstResponseAt: null,
  slaPausedAt: null,
};

describe('dueOf', () => {
  test('targets follow the blocking flag: 4 h and 2 days, or 1 and 5 days of 9 h', () => {
    assert.deepEqual(targetsOf(DEFAULT_SETTINGS, true), { firstResponse: 240, resolution: 1080 });
    assert.deepEqual(targetsOf(DEFAULT_SETTINGS, false), { firstResponse: 540, resolution: 2700 });
  });

  test('first the first response, then the resolution', () => {
    assert.equal(dueOf(filed, DEFAULT_SETTINGS, at('2026-12-07T09:30:00+01:00'))?.target, 'firstResponse');
    const answered = { ...filed, firstResponseAt: at('2026-12-07T10:00:00+01:00') };
    const due = dueOf(answered, DEFAULT_SETTINGS, at('2026-12-07T10:00:00+01:00'));
    assert.equal(due?.target, 'resolution');
    assert.equal(due?.at.toISOString(), filed.resolutionDueAt?.toISOString());
  });

  test('late past the due date; soon under a quarter of the target, and never less than one working hour', () => {
    const state = (iso: string, facts = filed) => dueOf(facts, DEFAULT_SETTINGS, at(iso))?.state;
    assert.equal(state('2026-12-07T13:00:01+01:00'), 'late');
    // Blocking first response: a quarter of 4 h is 1 h.
    assert.equal(state('2026-12-07T12:01:00+01:00'), 'soon');
    assert.equal(state('2026-12-07T11:59:00+01:00'), 'on_time');
    // Normal resolution (45 h): soon under 11 h 15 of working time, counted across the night.
    const normal = {
      ...filed,
      blocking: false,
      firstResponseAt: at('2026-12-07T10:00:00+01:00'),
      resolutionDueAt: at('2026-12-14T10:00:00+01:00'),
    };
    assert.equal(state('2026-12-11T10:00:00+01:00', normal), 'soon'); // 9 h left
    assert.equal(state('2026-12-10T17:00:00+01:00', normal), 'soon'); // Thursday 1 h, Friday 9 h, Monday 1 h: 11 h left
    assert.equal(state('2026-12-10T16:00:00+01:00', normal), 'on_time'); // 12 h left
  });

  test('suspended while awaiting a complement, nothing once resolved or closed or without due dates', () => {
    const paused = { ...filed, status: 'awaiting_info' as const, slaPausedAt: at('2026-12-07T10:00:00+01:00') };
    assert.equal(dueOf(paused, DEFAULT_SETTINGS, at('2026-12-20T10:00:00+01:00'))?.state, 'paused');
    assert.equal(dueOf({ ...filed, status: 'resolved' }, DEFAULT_SETTINGS, at('2026-12-20T10:00:00+01:00')), null);
    assert.equal(dueOf({ ...filed, status: 'closed' }, DEFAULT_SETTINGS, at('2026-12-20T10:00:00+01:00')), null);
    assert.equal(dueOf({ ...filed, firstResponseDueAt: null }, DEFAULT_SETTINGS, at('2026-12-20T10:00:00+01:00')), null);
  });
});
