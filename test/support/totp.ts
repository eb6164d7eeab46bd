/**
 * Two-factor authentication through HTTP, as a person does it: enrolment from the page (the
 * secret read from the page, codes computed like an authenticator application), then login.
 */
import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import type { Visitor } from './http.js';
import { PASSWORD } from './portal.js';

export const ENROLMENT = '/mon-compte/double-authentification';

export const currentStep = () => Math.floor(Date.now() / 30_000);

/** The code an authenticator application shows for a time step. */
export function codeAt(secret: string, step: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: step * 30_000,
  });
}

/** Enrols the signed-in visitor; returns the secret, the step of the confirming code and the recovery codes. */
export async function enrol(visitor: Visitor) {
  const token = await visitor.token(ENROLMENT);
  const started = await visitor.post(ENROLMENT, { _csrf: token, action: 'commencer' });
  assert.equal(started.statusCode, 303);
  const page = await visitor.get(ENROLMENT);
  assert.equal(page.statusCode, 200);
  const secret = /data-secret="([A-Z2-7]+)"/.exec(page.body)?.[1];
  assert.ok(secret, 'the secret is shown in text');
  assert.match(page.body, /<img src="data:image\/svg\+xml;base64,[^"]+"/, 'and as a QR code');
  const step = currentStep();
  const confirmed = await visitor.post(ENROLMENT, { _csrf: token, action: 'confirmer', code: codeAt(secret, step) });
  assert.equal(confirmed.statusCode, 200);
  const list = /<ul id="recovery-codes"[^>]*>([\s\S]*?)<\/ul>/.exec(confirmed.body)?.[1] ?? '';
  const recoveryCodes = [...list.matchAll(/<code>([A-Z0-9-]+)<\/code>/g)].map((m) => m[1]!);
  return { secret, step, recoveryCodes };
}

/** The password step of the login; the answer is returned as is. */
export async function passwordStep(visitor: Visitor, login: string, password = PASSWORD, next = '/') {
  const token = await visitor.token('/connexion');
  return visitor.post('/connexion', { _csrf: token, login, password, next });
}

/** The second step: a code of the application, or a recovery code. */
export async function secondStep(visitor: Visitor, field: { code: string } | { recoveryCode: string }) {
  const page = await visitor.get(`/connexion/verification${'recoveryCode' in field ? '?secours=1' : ''}`);
  assert.equal(page.statusCode, 200, 'the verification page is shown');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return visitor.post('/connexion/verification', { _csrf: token, ...field });
}

export async function logout(visitor: Visitor) {
  const token = await visitor.token('/mon-compte');
  const out = await visitor.post('/deconnexion', { _csrf: token });
  assert.equal(out.statusCode, 303);
}
