/**
 * Two-factor authentication by time-based one-time codes (RFC 6238: 6 digits, 30 seconds,
 * SHA-1, what every authenticator application reads). The secret is stored encrypted
 * (secret-box.ts); the last accepted time step is kept so that a code is accepted once.
 * Ten single-use recovery codes are given at enrolment, stored as SHA-256 hashes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import type { Executor, Tx } from '../../db/client.js';
import { recoveryCodes, users } from '../../db/schema.js';
import type { Role } from '../vocabulary.js';
import { verifyPassword } from './passwords.js';
import { open, seal } from './secret-box.js';

export const TOTP_ISSUER = 'Assistance Ministères sociaux';
const PERIOD_S = 30;
const DIGITS = 6;
/** One step before or after the server's clock: phones drift a little. */
const WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;
/** Without look-alikes (0/O, 1/I): 32 symbols, so 10 of them carry 50 random bits. */
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const owner = (userId: number) => `user:${userId}`;

function totpFor(secret: string, login = '') {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label: login,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_S,
    secret: Secret.fromBase32(secret),
  });
}

/** The time step of a valid code (within ±1 step of `now`), or null. */
export function matchStep(secret: string, code: string, now = Date.now()): number | null {
  const token = normalizeCode(code);
  if (!token) return null;
  const delta = totpFor(secret).validate({ token, timestamp: now, window: WINDOW });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD_S) + delta;
}

/** A code is accepted only for a step later than the last accepted one: no replay. */
export function isFreshStep(step: number, lastStep: number | null): boolean {
  return lastStep === null || step > lastStep;
}

/** The six digits of a typed code (spaces allowed), or null. */
export function normalizeCode(code: string): string | null {
  const digits = code.replace(/\s+/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** A recovery code as stored: upper case, separators dropped; null when it cannot be one. */
export function normalizeRecoveryCode(code: string): string | null {
  const clean = code.toUpperCase().replace(/[\s-]+/g, '');
  return /^[A-Z0-9]{10}$/.test(clean) ? clean : null;
}

const hashRecoveryCode = (code: string) => createHash('sha256').update(code).digest('hex');

export function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export type TotpStatus = {
  enabled: boolean;
  enabledAt: Date | null;
  /** A secret was generated and waits for its first code. */
  pending: boolean;
  recoveryCodesLeft: number;
};

export async function totpStatus(db: Executor, userId: number): Promise<TotpStatus> {
  const [user] = await db
    .select({ secret: users.totpSecret, enabledAt: users.totpEnabledAt })
    .from(users)
    .where(eq(users.id, userId));
  const [left] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  const enabled = Boolean(user?.enabledAt);
  return {
    enabled,
    enabledAt: user?.enabledAt ?? null,
    pending: !enabled && Boolean(user?.secret),
    recoveryCodesLeft: enabled ? Number(left?.n ?? 0) : 0,
  };
}

/** Administrators must use the second factor when the setting says so. */
export function totpRequired(settings: { adminTotpRequired?: boolean }, role: Role): boolean {
  return role === 'admin' && settings.adminTotpRequired === true;
}

export type Enrolment = { secret: string; uri: string; qrSvg: string };

async function describe(secret: string, login: string): Promise<Enrolment> {
  const uri = totpFor(secret, login).toString();
  // Loaded by the first enrolment only: its 60 files would lengthen every start.
  const { default: QRCode } = await import('qrcode');
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, uri, qrSvg };
}

/** A new secret waiting for its first code; null when the second factor is already on. */
export async function beginEnrolment(db: Executor, key: Buffer, userId: number): Promise<Enrolment | null> {
  const secret = new Secret({ size: 20 }).base32;
  const [user] = await db
    .update(users)
    .set({ totpSecret: seal(key, secret, owner(userId)), totpLastStep: null })
    .where(and(eq(users.id, userId), isNull(users.totpEnabledAt)))
    .returning({ login: users.login });
  return user ? describe(secret, user.login) : null;
}

/** The enrolment under way (QR code and secret shown again), or null. */
export async function pendingEnrolment(db: Executor, key: Buffer, userId: number): Promise<Enrolment | null> {
  const [user] = await db
    .select({ login: users.login, secret: users.totpSecret, enabledAt: users.totpEnabledAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!user?.secret || user.enabledAt) return null;
  const secret = open(key, user.secret, owner(userId));
  return secret ? describe(secret, user.login) : null;
}

export type ConfirmResult = { ok: true; recoveryCodes: string[] } | { ok: false; reason: 'invalid' | 'not_pending' };

/** The first valid code turns the second factor on and gives the recovery codes (shown once). */
export async function confirmEnrolment(
  tx: Tx,
  key: Buffer,
  userId: number,
  code: string,
  now = Date.now(),
): Promise<ConfirmResult> {
  const [user] = await tx
    .select({ secret: users.totpSecret, enabledAt: users.totpEnabledAt })
    .from(users)
    .where(eq(users.id, userId))
    .for('update');
  if (!user?.secret || user.enabledAt) return { ok: false, reason: 'not_pending' };
  const secret = open(key, user.secret, owner(userId));
  if (!secret) return { ok: false, reason: 'not_pending' };
  const step = matchStep(secret, code, now);
  if (step === null) return { ok: false, reason: 'invalid' };
  await tx
    .update(users)
    .set({ totpEnabledAt: new Date(now), totpLastStep: step })
    .where(eq(users.id, userId));
  return { ok: true, recoveryCodes: await replaceRecoveryCodes(tx, userId) };
}

async function replaceRecoveryCodes(tx: Tx, userId: number): Promise<string[]> {
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(newRecoveryCode());
  await tx
    .insert(recoveryCodes)
    .values([...codes].map((code) => ({ userId, codeHash: hashRecoveryCode(normalizeRecoveryCode(code) ?? code) })));
  return [...codes];
}

export type CodeCheck = 'ok' | 'invalid' | 'reused' | 'not_enabled';

/** Checks a code of an enrolled person and records its step: the same code is refused afterwards. */
export async function verifyCode(db: Executor, key: Buffer, userId: number, code: string, now = Date.now()): Promise<CodeCheck> {
  const [user] = await db
    .select({ secret: users.totpSecret, enabledAt: users.totpEnabledAt, lastStep: users.totpLastStep })
    .from(users)
    .where(eq(users.id, userId));
  if (!user?.secret || !user.enabledAt) return 'not_enabled';
  const secret = open(key, user.secret, owner(userId));
  if (!secret) return 'invalid';
  const step = matchStep(secret, code, now);
  if (step === null) return 'invalid';
  if (!isFreshStep(step, user.lastStep)) return 'reused';
  // Two requests with the same code at once: only one moves the step forward.
  const updated = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), sql`(${users.totpLastStep} is null or ${users.totpLastStep} < ${step})`))
    .returning({ id: users.id });
  return updated.length ? 'ok' : 'reused';
}

export type RecoveryCheck = 'ok' | 'invalid' | 'used';

/** Uses a recovery code once: only the first of two concurrent uses succeeds. */
export async function useRecoveryCode(db: Executor, userId: number, code: string): Promise<RecoveryCheck> {
  const clean = normalizeRecoveryCode(code);
  if (!clean) return 'invalid';
  const codeHash = hashRecoveryCode(clean);
  const [enrolled] = await db.select({ at: users.totpEnabledAt }).from(users).where(eq(users.id, userId));
  if (!enrolled?.at) return 'invalid';
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: new Date() })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  if (used.length) return 'ok';
  const [known] = await db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash)));
  return known ? 'used' : 'invalid';
}

/** A six-digit code is checked as a code of the application, anything else as a recovery code. */
export async function verifyCodeOrRecovery(
  db: Executor,
  key: Buffer,
  userId: number,
  code: string,
  now = Date.now(),
): Promise<{ result: CodeCheck | RecoveryCheck; recovery: boolean }> {
  if (normalizeCode(code)) return { result: await verifyCode(db, key, userId, code, now), recovery: false };
  return { result: await useRecoveryCode(db, userId, code), recovery: true };
}

export type DisableResult =
  | { ok: true; recovery: boolean }
  | { ok: false; field: 'password' | 'code'; reason: CodeCheck | RecoveryCheck | 'password' };

/** Turns the second factor off: the password and a current code (or a recovery code) are both needed. */
export async function disableTotp(
  tx: Tx,
  key: Buffer,
  userId: number,
  password: string,
  code: string,
  now = Date.now(),
): Promise<DisableResult> {
  const [user] = await tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId)).for('update');
  if (!(await verifyPassword(user?.hash ?? null, password))) return { ok: false, field: 'password', reason: 'password' };
  const { result, recovery } = await verifyCodeOrRecovery(tx, key, userId, code, now);
  if (result !== 'ok') return { ok: false, field: 'code', reason: result };
  await tx.update(users).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null }).where(eq(users.id, userId));
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  return { ok: true, recovery };
}

/** Whether the second factor is on for this account (asked at login). */
export async function totpEnabled(db: Executor, userId: number): Promise<boolean> {
  const [user] = await db.select({ at: users.totpEnabledAt }).from(users).where(eq(users.id, userId));
  return Boolean(user?.at);
}
