import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { WorkingCalendar } from '../../time/working-time.js';
import { type AutoCloseRules, autoCloseStep, closingDate } from './auto-close.js';

const PARIS: WorkingCalendar = { timeZone: 'Europe/Paris', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', holidays: true };
const RULES: AutoCloseRules = { autoCloseDays: 10, autoCloseReminderDays: 2, calendar: PARIS };
const at = (iso: string) => new Date(iso);

// Answered on Friday 4 December 2026 at 10:00, Paris time.
const ANSWERED = at('2026-12-04T10:00+01:00');

describe('auto-close: what is due when', () => {
  test('the reminder is due 8 working days after the answer, not before (weekends skipped)', () => {
    assert.deepEqual(autoCloseStep(ANSWERED, null, at('2026-12-14T10:00+01:00'), RULES), { kind: 'none' });
    assert.deepEqual(autoCloseStep(ANSWERED, null, at('2026-12-16T09:59+01:00'), RULES), { kind: 'none' });
    assert.deepEqual(autoCloseStep(ANSWERED, null, at('2026-12-16T10:00+01:00'), RULES), {
      kind: 'remind',
      closesOn: at('2026-12-18T10:00+01:00'),
    });
  });

  test('after the reminder, the closing comes 2 working days later, and only then', () => {
    const reminded = at('2026-12-16T10:00+01:00');
    assert.deepEqual(autoCloseStep(ANSWERED, reminded, at('2026-12-18T09:59+01:00'), RULES), { kind: 'none' });
    assert.deepEqual(autoCloseStep(ANSWERED, reminded, at('2026-12-18T10:00+01:00'), RULES), { kind: 'close' });
  });

  test('a reminder older than the answer belongs to a previous answer: a new reminder comes first', () => {
    const old = at('2026-11-20T10:00+01:00');
    assert.equal(autoCloseStep(ANSWERED, old, at('2026-12-31T10:00+01:00'), RULES).kind, 'remind');
  });

  test('whenever it runs, a request is never closed without a reminder sent at least 2 working days before', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 * 24 * 40 }), fc.integer({ min: 0, max: 60 * 24 * 40 }), (first, gap) => {
        const firstRun = new Date(ANSWERED.getTime() + first * 60_000);
        const step = autoCloseStep(ANSWERED, null, firstRun, RULES);
        assert.notEqual(step.kind, 'close');
        if (step.kind !== 'remind') return;
        const later = new Date(firstRun.getTime() + gap * 60_000);
        const next = autoCloseStep(ANSWERED, firstRun, later, RULES);
        if (next.kind === 'close') {
          assert.ok(later >= closingDate(ANSWERED, firstRun, RULES));
          assert.ok(later >= step.closesOn, 'closed before the announced day');
        }
      }),
      { numRuns: 300 },
    );
  });
});
