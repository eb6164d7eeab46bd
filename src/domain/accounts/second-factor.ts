/**
 * « Double authentification » of « Mon compte », as commands: each writes its change and its
 * audit row in one transaction; turning it off is throttled like a login, a failure counted and
 * audited even though nothing else changes.
 */
import { type Db, transaction } from '../../db/client.js';
import type { Actor } from '../actor.js';
import { audit } from '../audit/audit.js';
import { getSettings } from '../settings/settings.js';
import { clearSecondFactorFailures, recordSecondFactorFailure, secondFactorWait } from './login.js';
import { beginEnrolment, type ConfirmResult, confirmEnrolment, type DisableResult, disableTotp, totpRequired } from './totp.js';

/** « Activer »: a new secret waiting for its first code. */
export function startTotpEnrolment(db: Db, key: Buffer, actor: Actor, ip: string) {
  return transaction(db, async (tx) => {
    const started = await beginEnrolment(tx, key, actor.id);
    if (started) await audit(tx, { action: 'totp.enrolment_started', actorId: actor.id, ip });
  });
}

/** « Confirmer »: the first valid code turns the second factor on; the recovery codes come back once. */
export function confirmTotp(db: Db, key: Buffer, actor: Actor, code: string, ip: string): Promise<ConfirmResult> {
  return transaction(db, async (tx) => {
    const result = await confirmEnrolment(tx, key, actor.id, code);
    if (result.ok) await audit(tx, { action: 'totp.enabled', actorId: actor.id, ip });
    return result;
  });
}

export type TurnOff = DisableResult | { ok: false; field: 'required' } | { ok: false; field: 'throttled'; waitS: number };

/** « Désactiver »: the password and a code; refused where the settings require it. */
export async function turnOffTotp(
  db: Db,
  key: Buffer,
  actor: Actor,
  input: { password: string; code: string },
  ip: string,
): Promise<TurnOff> {
  if (totpRequired(await getSettings(db), actor.role)) return { ok: false, field: 'required' };
  const wait = await secondFactorWait(db, actor.id, ip);
  if (wait > 0) return { ok: false, field: 'throttled', waitS: wait };
  const result = await transaction(db, async (tx) => {
    const outcome = await disableTotp(tx, key, actor.id, input.password, input.code);
    if (!outcome.ok) return outcome;
    await clearSecondFactorFailures(tx, actor.id);
    if (outcome.recovery) await audit(tx, { action: 'totp.recovery_code.used', actorId: actor.id, ip });
    await audit(tx, { action: 'totp.disabled', actorId: actor.id, ip });
    return outcome;
  });
  if (!result.ok) {
    await transaction(db, async (tx) => {
      await recordSecondFactorFailure(tx, actor.id, ip);
      await audit(tx, { action: 'totp.disable_failure', actorId: actor.id, ip, details: { reason: result.reason } });
    });
  }
  return result;
}
