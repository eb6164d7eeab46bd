import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TZDate } from '@date-fns/tz';
import fc from 'fast-check';
import { addWorkingDays, addWorkingMinutes, isWorkingDay, type WorkingCalendar, workingMinutesBetween } from './working-time.js';

const PARIS: WorkingCalendar = { timeZone: 'Europe/Paris', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', holidays: true };
const HOUR = 60;
const DAY = 9 * HOUR;

/** An instant written with its Paris offset, e.g. at('2026-12-04T17:00+01:00'). */
const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

describe('addWorkingMinutes', () => {
  test('Friday 17:00 plus 4 working hours is Monday 12:00', () => {
    assert.equal(iso(addWorkingMinutes(at('2026-12-04T17:00+01:00'), 4 * HOUR, PARIS)), iso(at('2026-12-07T12:00+01:00')));
  });

  test('inside a day, the time simply moves on; ending at closing time stays on that day', () => {
    assert.equal(iso(addWorkingMinutes(at('2026-12-01T10:15+01:00'), 90, PARIS)), iso(at('2026-12-01T11:45+01:00')));
    assert.equal(iso(addWorkingMinutes(at('2026-12-01T17:00+01:00'), HOUR, PARIS)), iso(at('2026-12-01T18:00+01:00')));
  });

  test('from the evening, the night or the early morning, counting starts at the next opening', () => {
    const due = iso(at('2026-12-02T10:00+01:00'));
    assert.equal(iso(addWorkingMinutes(at('2026-12-01T19:30+01:00'), HOUR, PARIS)), due);
    assert.equal(iso(addWorkingMinutes(at('2026-12-02T03:00+01:00'), HOUR, PARIS)), due);
    assert.equal(iso(addWorkingMinutes(at('2026-12-02T08:59+01:00'), HOUR, PARIS)), due);
  });

  test('from the weekend, counting starts on Monday morning', () => {
    const monday = iso(at('2026-12-07T13:00+01:00'));
    assert.equal(iso(addWorkingMinutes(at('2026-12-05T11:00+01:00'), 4 * HOUR, PARIS)), monday);
    assert.equal(iso(addWorkingMinutes(at('2026-12-06T23:59+01:00'), 4 * HOUR, PARIS)), monday);
    assert.equal(iso(addWorkingMinutes(at('2026-12-04T18:00+01:00'), 4 * HOUR, PARIS)), monday);
  });

  test('public holidays are skipped: Christmas, Ascension, Bastille Day', () => {
    // Thursday 24 December 17:00 + 4 h: 1 h on the 24th, Christmas Friday off, weekend, 3 h on Monday 28th.
    assert.equal(iso(addWorkingMinutes(at('2026-12-24T17:00+01:00'), 4 * HOUR, PARIS)), iso(at('2026-12-28T12:00+01:00')));
    // Wednesday 5 May 2027 16:00 + 4 h: Ascension Thursday 6 off, Friday 7 at 11:00.
    assert.equal(iso(addWorkingMinutes(at('2027-05-05T16:00+02:00'), 4 * HOUR, PARIS)), iso(at('2027-05-07T11:00+02:00')));
    // Tuesday 13 July 2027 17:30 + 1 h: Wednesday 14 July off, Thursday 15 at 9:30.
    assert.equal(iso(addWorkingMinutes(at('2027-07-13T17:30+02:00'), HOUR, PARIS)), iso(at('2027-07-15T09:30+02:00')));
  });

  test('with holidays not excluded, a public holiday is worked', () => {
    const cal = { ...PARIS, holidays: false };
    assert.equal(iso(addWorkingMinutes(at('2026-12-24T17:00+01:00'), 4 * HOUR, cal)), iso(at('2026-12-25T12:00+01:00')));
    assert.equal(isWorkingDay(at('2027-07-14T12:00+02:00'), cal), true);
    assert.equal(isWorkingDay(at('2027-07-14T12:00+02:00'), PARIS), false);
  });

  test('across the spring daylight-saving change, 9:00–18:00 stay local time (08:00 then 07:00 UTC)', () => {
    // Friday 26 March 2027 17:00 (UTC+1) + 4 h: Monday 29 March 12:00 (UTC+2), which is 10:00 UTC…
    const from = at('2027-03-26T17:00+01:00');
    assert.equal(iso(addWorkingMinutes(from, 4 * HOUR, { ...PARIS, holidays: false })), '2027-03-29T10:00:00.000Z');
    // … except that it is Easter Monday: Tuesday 30 March 12:00.
    assert.equal(iso(addWorkingMinutes(from, 4 * HOUR, PARIS)), '2027-03-30T10:00:00.000Z');
  });

  test('across the autumn daylight-saving change, the due date is right in UTC', () => {
    // Friday 23 October 2026 16:00 (UTC+2) + 4 h: Monday 26 October 11:00 (UTC+1), which is 10:00 UTC.
    const due = addWorkingMinutes(at('2026-10-23T16:00+02:00'), 4 * HOUR, PARIS);
    assert.equal(iso(due), '2026-10-26T10:00:00.000Z');
    assert.equal(workingMinutesBetween(at('2026-10-23T16:00+02:00'), due, PARIS), 4 * HOUR);
  });

  test('custom days and hours: Monday to Saturday, 8:30–12:30', () => {
    const cal: WorkingCalendar = { ...PARIS, days: [1, 2, 3, 4, 5, 6], start: '08:30', end: '12:30' };
    assert.equal(iso(addWorkingMinutes(at('2026-12-04T12:00+01:00'), HOUR, cal)), iso(at('2026-12-05T09:00+01:00')));
    assert.equal(iso(addWorkingDays(at('2026-12-05T10:00+01:00'), 1, cal)), iso(at('2026-12-07T10:00+01:00')));
  });

  test('a calendar with no working day or an empty day is refused', () => {
    assert.throws(() => addWorkingMinutes(new Date(), 60, { ...PARIS, days: [] }), RangeError);
    assert.throws(() => addWorkingMinutes(new Date(), 60, { ...PARIS, start: '18:00', end: '09:00' }), RangeError);
  });
});

describe('addWorkingDays', () => {
  test('one working day later keeps the time of day, weekend skipped', () => {
    assert.equal(iso(addWorkingDays(at('2026-12-01T10:00+01:00'), 1, PARIS)), iso(at('2026-12-02T10:00+01:00')));
    assert.equal(iso(addWorkingDays(at('2026-12-04T10:00+01:00'), 2, PARIS)), iso(at('2026-12-08T10:00+01:00')));
  });

  test('from outside the hours, the days count from the next opening: the end of the day', () => {
    assert.equal(iso(addWorkingDays(at('2026-12-01T20:00+01:00'), 1, PARIS)), iso(at('2026-12-02T18:00+01:00')));
    assert.equal(iso(addWorkingDays(at('2026-12-05T10:00+01:00'), 5, PARIS)), iso(at('2026-12-11T18:00+01:00')));
  });

  test('five working days across Christmas and New Year', () => {
    // Wednesday 23 Dec 2026 11:00: 24, 28, 29, 30, 31 (25 Dec off, weekend) → Thursday 31 Dec 11:00.
    assert.equal(iso(addWorkingDays(at('2026-12-23T11:00+01:00'), 5, PARIS)), iso(at('2026-12-31T11:00+01:00')));
    // … and 6 days skip 1 January 2027 (a Friday) and the weekend → Monday 4 January.
    assert.equal(iso(addWorkingDays(at('2026-12-23T11:00+01:00'), 6, PARIS)), iso(at('2027-01-04T11:00+01:00')));
  });

  test('two working days across the spring change (and Easter Monday) keep 10:00 local time', () => {
    assert.equal(iso(addWorkingDays(at('2027-03-26T10:00+01:00'), 2, PARIS)), '2027-03-31T08:00:00.000Z');
  });
});

describe('workingMinutesBetween', () => {
  test('counts only the opening hours of working days', () => {
    assert.equal(workingMinutesBetween(at('2026-12-04T17:00+01:00'), at('2026-12-07T12:00+01:00'), PARIS), 4 * HOUR);
    assert.equal(workingMinutesBetween(at('2026-12-05T00:00+01:00'), at('2026-12-06T23:00+01:00'), PARIS), 0);
    assert.equal(workingMinutesBetween(at('2026-12-01T00:00+01:00'), at('2026-12-08T00:00+01:00'), PARIS), 5 * DAY);
    assert.equal(workingMinutesBetween(at('2026-12-21T00:00+01:00'), at('2026-12-28T00:00+01:00'), PARIS), 4 * DAY);
  });

  test('is negative when the end comes first', () => {
    assert.equal(workingMinutesBetween(at('2026-12-07T12:00+01:00'), at('2026-12-04T17:00+01:00'), PARIS), -4 * HOUR);
  });

  test('property: adding minutes then measuring gives the minutes back', () => {
    const start = Date.parse('2026-01-01T00:00Z');
    const span = Date.parse('2028-12-31T00:00Z') - start;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: span }),
        fc.integer({ min: 0, max: 30 * DAY }),
        fc.boolean(),
        (offset, minutes, holidays) => {
          const cal = { ...PARIS, holidays };
          const from = new Date(start + offset);
          const to = addWorkingMinutes(from, minutes, cal);
          assert.equal(workingMinutesBetween(from, to, cal), minutes);
          assert.ok(to.getTime() >= from.getTime());
        },
      ),
      { numRuns: 300 },
    );
  });

  test('property: a due date after opening minutes never falls outside the hours or on a day off', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01'), max: new Date('2028-12-31'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 20 * DAY }),
        (from, minutes) => {
          const due = addWorkingMinutes(from, minutes, PARIS);
          assert.ok(isWorkingDay(due, PARIS));
          const local = new TZDate(due.getTime(), 'Europe/Paris');
          const sinceMidnight =
            ((local.getHours() * 60 + local.getMinutes()) * 60 + local.getSeconds()) * 1000 + local.getMilliseconds();
          assert.ok(sinceMidnight > 9 * 3_600_000 && sinceMidnight <= 18 * 3_600_000, local.toString());
        },
      ),
      { numRuns: 300 },
    );
  });
});
