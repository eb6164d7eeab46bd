import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { open, seal, secretKey } from './secret-box.js';
import { isFreshStep, matchStep, newRecoveryCode, normalizeCode, normalizeRecoveryCode } from './totp.js';

describe('TOTP secret encryption', () => {
  const key = secretKey('a-session-secret-of-at-least-32-characters');

  test('a sealed secret opens with the same key and owner, and does not show in clear', () => {
    const sealed = seal(key, 'JBSWY3DPEHPK3PXP', 'user:7');
    assert.match(sealed, /^v1\./);
    assert.ok(!sealed.includes('JBSWY3DPEHPK3PXP'));
    assert.equal(open(key, sealed, 'user:7'), 'JBSWY3DPEHPK3PXP');
  });

  test('two seals of the same secret differ (a fresh IV each time)', () => {
    assert.notEqual(seal(key, 'JBSWY3DPEHPK3PXP', 'user:7'), seal(key, 'JBSWY3DPEHPK3PXP', 'user:7'));
  });

  test('another key, another owner or an altered value does not open', () => {
    const sealed = seal(key, 'JBSWY3DPEHPK3PXP', 'user:7');
    assert.equal(open(secretKey('another-session-secret-of-32-characters!'), sealed, 'user:7'), null);
    assert.equal(open(key, sealed, 'user:8'), null);
    const [v, iv, body, tag] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    assert.equal(open(key, [v, iv, flipped.toString('base64url'), tag].join('.'), 'user:7'), null);
    assert.equal(open(key, [v, iv, body, tag.slice(0, 8)].join('.'), 'user:7'), null, 'a shortened tag is refused');
    assert.equal(open(key, 'not-a-sealed-value', 'user:7'), null);
  });

  test('the key is derived (HKDF), 256 bits, not the session secret itself', () => {
    assert.equal(key.length, 32);
    assert.ok(!key.toString('utf8').includes('a-session-secret'));
  });
});

describe('TOTP codes and steps', () => {
  const secret = new Secret({ size: 20 }).base32;
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  const now = Date.UTC(2026, 10, 28, 21, 0, 10);
  const step = Math.floor(now / 30_000);
  const codeAt = (s: number) => totp.generate({ timestamp: s * 30_000 });

  test('the current code and those one step before or after are accepted, with their step', () => {
    assert.equal(matchStep(secret, codeAt(step), now), step);
    assert.equal(matchStep(secret, codeAt(step - 1), now), step - 1);
    assert.equal(matchStep(secret, codeAt(step + 1), now), step + 1);
  });

  test('codes two steps away, wrong codes and malformed input are refused', () => {
    assert.equal(matchStep(secret, codeAt(step - 2), now), null);
    assert.equal(matchStep(secret, codeAt(step + 2), now), null);
    const wrong = String((Number(codeAt(step)) + 1) % 1_000_000).padStart(6, '0');
    assert.equal(matchStep(secret, wrong, now), null);
    assert.equal(matchStep(secret, '12345', now), null);
    assert.equal(matchStep(secret, 'abcdef', now), null);
  });

  test('spaces typed in a code are ignored', () => {
    const code = codeAt(step);
    assert.equal(normalizeCode(`${code.slice(0, 3)} ${code.slice(3)}`), code);
    assert.equal(matchStep(secret, ` ${code} `, now), step);
  });

  test('a step is accepted only after the last accepted one: a code is used once', () => {
    assert.equal(isFreshStep(step, null), true);
    assert.equal(isFreshStep(step + 1, step), true);
    assert.equal(isFreshStep(step, step), false, 'the same code again');
    assert.equal(isFreshStep(step - 1, step), false, 'an older code after a newer one');
  });
});

describe('recovery codes', () => {
  test('ten characters without look-alikes, shown in two groups of five, all different', () => {
    const codes = Array.from({ length: 200 }, newRecoveryCode);
    for (const code of codes) assert.match(code, /^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
    assert.equal(new Set(codes).size, codes.length);
  });

  test('typed in lower case or without the dash, a code is still recognised', () => {
    assert.equal(normalizeRecoveryCode('abcde-23456'), 'ABCDE23456');
    assert.equal(normalizeRecoveryCode(' ABCDE 23456 '), 'ABCDE23456');
    assert.equal(normalizeRecoveryCode('ABCDE-2345'), null);
    assert.equal(normalizeRecoveryCode('ABCDE-2345!'), null);
  });
});
