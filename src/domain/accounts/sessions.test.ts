import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ABSOLUTE_MS, IDLE_MS, REMEMBER_MS, sessionDeadline } from './sessions.js';

describe('session deadlines', () => {
  const start = Date.UTC(2026, 10, 2, 8, 0, 0);

  test('an idle session ends 30 minutes after the last activity', () => {
    assert.equal(sessionDeadline({ startedAt: start, seenAt: start }), start + IDLE_MS);
    assert.equal(sessionDeadline({ startedAt: start, seenAt: start + 60_000 }), start + 60_000 + IDLE_MS);
  });

  test('an active session still ends 12 hours after login', () => {
    assert.equal(sessionDeadline({ startedAt: start, seenAt: start + ABSOLUTE_MS - 60_000 }), start + ABSOLUTE_MS);
  });

  test('“se souvenir de moi” keeps the session 30 days from login, whatever the activity', () => {
    assert.equal(sessionDeadline({ startedAt: start, seenAt: start, remember: true }), start + REMEMBER_MS);
    assert.equal(IDLE_MS, 30 * 60 * 1000);
    assert.equal(ABSOLUTE_MS, 12 * 60 * 60 * 1000);
  });
});
