/**
 * « Mot de passe oublié ? »: the same answer and the same work whether the account exists or not;
 * a single-use link valid one hour, one live link per account and a new e-mail at most every five
 * minutes (asking again and again floods nobody's mailbox); the new password follows the policy;
 * other sessions end.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { type Db, type Tx, transaction } from '../../db/client.js';
import { passwordResetRequests, sessions, users, userTokens } from '../../db/schema.js';
import { audit } from '../audit/audit.js';
import { ValidationError } from '../errors.js';
import { passwordChangedMail, passwordResetMail } from '../notifications/account-messages.js';
import { enqueueMail } from '../notifications/outbox.js';
import { displayName } from './actors.js';
import { passwordProblem } from './password-policy.js';
import { hashPassword, MAX_PASSWORD_LENGTH } from './passwords.js';
import { consumeToken, createToken, type TokenState } from './tokens.js';

export const RESET_TTL_MS = 60 * 60 * 1000;
/** A new link, hence a new e-mail, at most this often per account: the live one stays valid meanwhile. */
export const RESET_RESEND_AFTER_S = 5 * 60;

/** Records the request; the same single insert whether the account exists or not. */
export async function requestPasswordReset(tx: Tx, identifier: string, ip: string): Promise<void> {
  await tx.insert(passwordResetRequests).values({ identifier: identifier.trim().slice(0, 254), ip });
}

/**
 * Handles recorded requests (worker): a link to each active account named by its e-mail address
 * or identifiant; nothing, but an audit row, for an unknown one.
 */
export async function processPasswordResets(db: Db, publicUrl: string): Promise<number> {
  return transaction(db, async (tx) => {
    const pending = (
      await tx.execute(sql`
        select id, identifier, ip from password_reset_requests where processed_at is null
        order by id limit 50 for update skip locked`)
    ).rows as { id: number; identifier: string; ip: string | null }[];
    for (const request of pending) {
      const [user] = await tx
        .select()
        .from(users)
        .where(
          and(
            eq(users.active, true),
            sql`(lower(${users.login}) = lower(${request.identifier}) or lower(${users.email}) = lower(${request.identifier}))`,
          ),
        )
        .limit(1);
      const recent = user ? await recentResetLink(tx, user.id) : false;
      if (user && !recent) {
        const token = await createToken(tx, user.id, 'password_reset', RESET_TTL_MS);
        await enqueueMail(tx, passwordResetMail(user.email, displayName(user), `${publicUrl}/mot-de-passe/${token}`));
      }
      await audit(tx, {
        action: 'password_reset.request',
        actorId: user?.id ?? null,
        ip: request.ip ?? undefined,
        details: { known: Boolean(user), ...(recent ? { sent: false } : {}) },
      });
      await tx.update(passwordResetRequests).set({ processedAt: new Date() }).where(eq(passwordResetRequests.id, request.id));
    }
    return pending.length;
  });
}

/** True when the account got a reset link, still unused, in the last few minutes. */
async function recentResetLink(tx: Tx, userId: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: userTokens.id })
    .from(userTokens)
    .where(
      and(
        eq(userTokens.userId, userId),
        eq(userTokens.purpose, 'password_reset'),
        isNull(userTokens.usedAt),
        gt(userTokens.createdAt, sql`now() - make_interval(secs => ${RESET_RESEND_AFTER_S})`),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * Sets the new password of a valid reset link, once; ends every session of the account.
 * The password is checked and hashed before the transaction.
 */
export async function resetPassword(
  db: Db,
  rawToken: string,
  password: string,
  check: string,
  ip: string,
  publicUrl: string,
): Promise<TokenState> {
  if (password.length > MAX_PASSWORD_LENGTH) throw new ValidationError({ password: passwordProblem(password) ?? '' });
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError({ password: problem });
  if (password !== check) throw new ValidationError({ passwordCheck: 'Les deux mots de passe ne sont pas identiques.' });
  const passwordHash = await hashPassword(password);
  return transaction(db, async (tx: Tx) => {
    const { state, row } = await consumeToken(tx, rawToken, 'password_reset');
    if (state !== 'valid' || !row) return state;
    const [user] = await tx.select().from(users).where(eq(users.id, row.userId));
    if (!user) return 'unknown';
    const personal = passwordProblem(password, user);
    if (personal) throw new ValidationError({ password: personal });
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await enqueueMail(tx, passwordChangedMail(user.email, displayName(user), publicUrl));
    await audit(tx, { action: 'password_reset.done', actorId: user.id, ip });
    return 'valid';
  });
}
