/**
 * Password login with progressive throttling per account and per address: after a few failures
 * each new attempt must wait longer (capped), and the wait ends by itself; no permanent lock.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { loginThrottle, users } from '../../db/schema.js';
import { audit } from '../audit/audit.js';
import { verifyPassword } from './passwords.js';

/** Failures allowed before waits start: an address is shared by many people (offices, proxies). */
const FREE_FAILURES = { login: 5, ip: 30 };
const MAX_WAIT_S = 15 * 60;

export type LoginResult =
  | { ok: true; userId: number }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterS: number };

export async function login(db: Db, identifier: string, password: string, ip: string): Promise<LoginResult> {
  const loginKey = `login:${identifier.trim().toLowerCase()}`;
  const ipKey = `ip:${ip}`;
  const wait = await throttleWait(db, [loginKey, ipKey]);
  if (wait > 0) {
    await audit(db, { action: 'login.throttled', target: identifier.slice(0, 100), ip });
    return { ok: false, reason: 'throttled', retryAfterS: wait };
  }
  const [user] = await db
    .select({ id: users.id, hash: users.passwordHash, active: users.active })
    .from(users)
    .where(eq(sql`lower(${users.login})`, identifier.trim().toLowerCase()));
  const valid = await verifyPassword(user?.hash ?? null, password);
  if (!user || !valid || !user.active) {
    await recordFailure(db, loginKey, FREE_FAILURES.login);
    await recordFailure(db, ipKey, FREE_FAILURES.ip);
    await audit(db, { action: 'login.failure', actorId: user?.id ?? null, target: identifier.slice(0, 100), ip });
    return { ok: false, reason: 'invalid' };
  }
  await db.delete(loginThrottle).where(eq(loginThrottle.key, loginKey));
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
  await audit(db, { action: 'login.success', actorId: user.id, ip });
  return { ok: true, userId: user.id };
}

/**
 * The second factor is throttled the same way, with its own count per account (a right password
 * must not reset it) and the address's count shared with passwords. Returns the wait in seconds.
 */
export function secondFactorWait(db: Executor, userId: number, ip: string): Promise<number> {
  return throttleWait(db, [`second-factor:${userId}`, `ip:${ip}`]);
}

export async function recordSecondFactorFailure(db: Executor, userId: number, ip: string) {
  await recordFailure(db, `second-factor:${userId}`, FREE_FAILURES.login);
  await recordFailure(db, `ip:${ip}`, FREE_FAILURES.ip);
}

export async function clearSecondFactorFailures(db: Executor, userId: number) {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, `second-factor:${userId}`));
}

async function throttleWait(db: Executor, keys: string[]): Promise<number> {
  const rows = await db
    .select({ blockedUntil: loginThrottle.blockedUntil })
    .from(loginThrottle)
    .where(
      sql`${loginThrottle.key} in (${sql.join(
        keys.map((k) => sql`${k}`),
        sql`, `,
      )})`,
    );
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil?.getTime() ?? 0));
  return Math.max(0, Math.ceil((until - Date.now()) / 1000));
}

/** Each failure past the free ones doubles the wait (1 s, 2 s, 4 s … 15 min); an hour of quiet starts over. */
async function recordFailure(db: Executor, key: string, free: number) {
  await db.execute(sql`
    insert into login_throttle as t (key, failures, blocked_until, updated_at) values (${key}, 1, null, now())
    on conflict (key) do update set
      failures = case when t.updated_at < now() - interval '1 hour' then 1 else t.failures + 1 end,
      updated_at = now(),
      blocked_until = case when t.updated_at >= now() - interval '1 hour' and t.failures + 1 > ${free}
        then now() + make_interval(secs => least(${MAX_WAIT_S}, power(2, t.failures - ${free})))
        else null end`);
}
