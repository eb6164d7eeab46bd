import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dayOf, lastDayOf, parisDay } from './news.js';

test('a news day starts at midnight in Paris, in winter and in summer', () => {
  assert.equal(parisDay('2026-01-15').toISOString(), '2026-01-14T23:00:00.000Z');
  assert.equal(parisDay('2026-07-15').toISOString(), '2026-07-14T22:00:00.000Z');
  // The night of the change to summer time: midnight is still UTC+1.
  assert.equal(parisDay('2026-03-29').toISOString(), '2026-03-28T23:00:00.000Z');
});

test('the Paris day of an instant, and the last day of a window stored as the next midnight', () => {
  assert.equal(dayOf(new Date('2026-05-10T21:59:59Z')), '2026-05-10');
  assert.equal(dayOf(new Date('2026-05-10T22:00:00Z')), '2026-05-11');
  assert.equal(lastDayOf(parisDay('2026-05-11')), '2026-05-10');
  assert.equal(lastDayOf(parisDay('2026-10-26')), '2026-10-25', 'across the change back to winter time');
});
