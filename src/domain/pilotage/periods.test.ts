/** The steps of the Pilotage series and backlog: days, weeks (from Monday), months; ends on Sundays or month ends. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backlogEnds, bucketOf, bucketStarts } from './figures.js';
import { periodOf, previousOf } from './filters.js';

test('a fortnight goes by day, a quarter by week from Monday, a year by month', () => {
  const fortnight = periodOf('2026-11-02', '2026-11-15');
  assert.equal(bucketOf(fortnight), 'day');
  assert.equal(bucketStarts(fortnight, 'day').length, 14);
  const quarter = periodOf('2026-09-03', '2026-11-30');
  assert.equal(bucketOf(quarter), 'week');
  assert.deepEqual(bucketStarts(quarter, 'week').slice(0, 2), ['2026-08-31', '2026-09-07']);
  const year = periodOf('2025-01-01', '2025-12-31');
  assert.equal(bucketOf(year), 'month');
  assert.deepEqual(bucketStarts(year, 'month').slice(0, 3), ['2025-01-01', '2025-02-01', '2025-03-01']);
  assert.equal(bucketStarts(year, 'month').length, 12);
});

test('backlog ends: each Sunday and the last day, or each month end', () => {
  assert.deepEqual(backlogEnds(periodOf('2026-11-04', '2026-11-18')), ['2026-11-08', '2026-11-15', '2026-11-18']);
  const ends = backlogEnds(periodOf('2025-01-01', '2025-12-31'));
  assert.equal(ends.length, 12);
  assert.deepEqual(ends.slice(0, 2), ['2025-01-31', '2025-02-28']);
});

test('the previous period has the same number of days, just before; days are Paris days', () => {
  const period = periodOf('2026-03-01', '2026-03-31');
  assert.equal(period.days, 31);
  assert.deepEqual([previousOf(period).firstDay, previousOf(period).lastDay], ['2026-01-29', '2026-02-28']);
  // The spring change (29 March): the period ends at midnight Paris summer time, 22:00 UTC.
  assert.equal(period.to.toISOString(), '2026-03-31T22:00:00.000Z');
  assert.equal(period.from.toISOString(), '2026-02-28T23:00:00.000Z');
});
