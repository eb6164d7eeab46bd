/**
 * Staff accounts an administrator creates (agent, expert, pilote, administrateur): the account
 * starts without a password, and its holder chooses one through a single-use invitation link
 * (stored hashed, valid INVITATION_DAYS days) e-mailed through the outbox, with the template
 * administrators can edit. Creation, a new invitation and its use are each one transaction,
 * audited.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, type Tx, transaction } from '../../db/client.js';
import { applications, sessions, userApplications, users } from '../../db/schema.js';
import { audit } from '../audit/audit.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { enqueueMail } from '../notifications/outbox.js';
import { loadTemplate, renderTemplate } from '../notifications/templates.js';
import { fieldErrors } from '../validation.js';
import type { Role } from '../vocabulary.js';
import { accountRequestSchema } from './account-requests.js';
import { displayName } from './actors.js';
import { passwordProblem } from './password-policy.js';
import { hashPassword, MAX_PASSWORD_LENGTH } from './passwords.js';
import { consumeToken, createToken, type TokenState } from './tokens.js';

export const STAFF_ACCOUNT_ROLES = ['agent', 'expert', 'pilot', 'admin'] as const satisfies readonly Role[];
export type StaffAccountRole = (typeof STAFF_ACCOUNT_ROLES)[number];

export const INVITATION_DAYS = 7;

/** The role's name in the invitation e-mail. */
const ROLE_NAMES: Record<StaffAccountRole, string> = {
  agent: 'Agent (niveau 1)',
  expert: 'Expert (niveau 2)',
  pilot: 'Pilote',
  admin: 'Administrateur',
};

const staffAccountSchema = accountRequestSchema
  .pick({ login: true, civility: true, lastName: true, firstName: true, email: true })
  .extend({
    role: z.enum(STAFF_ACCOUNT_ROLES, { error: 'Choisissez un rôle.' }),
    applicationIds: z.array(z.coerce.number().int().positive().max(2_147_483_647)).default([]),
  });

export type StaffAccountInput = z.infer<typeof staffAccountSchema>;

/** Reads the « Créer un compte » form; French errors by field. */
export function parseStaffAccount(raw: Record<string, unknown>): StaffAccountInput {
  const parsed = staffAccountSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  const input = parsed.data;
  // An administrator sees everything: the applications covered only mean something for the others.
  const applicationIds = input.role === 'admin' ? [] : [...new Set(input.applicationIds)].sort((a, b) => a - b);
  if (input.role !== 'admin' && !applicationIds.length)
    throw new ValidationError({ applicationIds: 'Choisissez au moins une application couverte par ce compte.' });
  return { ...input, applicationIds };
}

/** Field errors for an identifiant or an address already used by an account (nothing is written then). */
async function duplicates(tx: Tx, input: StaffAccountInput): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  const [login] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.login}) = lower(${input.login})`);
  if (login) errors.login = TAKEN.login;
  const [email] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${input.email})`);
  if (email) errors.email = TAKEN.email;
  if (input.applicationIds.length) {
    const known = await tx
      .select({ id: applications.id })
      .from(applications)
      .where(inArray(applications.id, input.applicationIds));
    if (known.length !== input.applicationIds.length) errors.applicationIds = 'Une application choisie n’existe pas.';
  }
  return errors;
}

const TAKEN = {
  login: 'Cet identifiant est déjà utilisé par un autre compte : choisissez-en un autre.',
  email: 'Cette adresse électronique est déjà celle d’un autre compte.',
};

/**
 * The same identifiant or address created twice at the same moment passes the check in both
 * transactions; the unique index refuses the second, which gets the field error, not a 500.
 */
async function uniqueAsFieldErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Drizzle wraps the driver's error; the SQLSTATE is on it or on its cause.
    const raw = (error as { cause?: unknown } | null)?.cause ?? error;
    const { code, constraint } = (raw ?? {}) as { code?: string; constraint?: string };
    if (code !== '23505') throw error;
    throw new ValidationError(constraint?.includes('email') ? { email: TAKEN.email } : { login: TAKEN.login });
  }
}

/** Creates the account (no password, pending) and queues its invitation; returns its id. */
export async function createStaffAccount(
  db: Db,
  adminId: number,
  raw: Record<string, unknown>,
  publicUrl: string,
  ip?: string,
): Promise<number> {
  const input = parseStaffAccount(raw);
  return uniqueAsFieldErrors(() =>
    transaction(db, async (tx) => {
      const errors = await duplicates(tx, input);
      if (Object.keys(errors).length) throw new ValidationError(errors);
      const [user] = await tx
        .insert(users)
        .values({
          login: input.login,
          email: input.email,
          civility: input.civility,
          firstName: input.firstName,
          lastName: input.lastName,
          role: input.role,
          passwordHash: null,
          active: false,
          activatedAt: null,
        })
        .returning();
      if (!user) throw new Error('insert returned nothing');
      if (input.applicationIds.length)
        await tx
          .insert(userApplications)
          .values(input.applicationIds.map((applicationId) => ({ userId: user.id, applicationId })));
      await sendInvitation(tx, user, publicUrl);
      await audit(tx, {
        action: 'user.create',
        actorId: adminId,
        target: `user:${user.id}`,
        ip,
        details: { login: user.login, role: user.role, applicationIds: input.applicationIds, to: user.email },
      });
      return user.id;
    }),
  );
}

/** A new invitation link (the previous ones stop working), e-mailed with the editable template. */
async function sendInvitation(tx: Tx, user: typeof users.$inferSelect, publicUrl: string) {
  const token = await createToken(tx, user.id, 'invitation', INVITATION_DAYS * 24 * 3600 * 1000);
  const { subject, body } = renderTemplate(await loadTemplate(tx, 'invitation'), {
    destinataire: displayName(user),
    identifiant: user.login,
    role: ROLE_NAMES[user.role as StaffAccountRole] ?? user.role,
    lien: `${publicUrl}/invitation/${token}`,
    jours: String(INVITATION_DAYS),
  });
  await enqueueMail(tx, { kind: 'invitation', to: user.email, subject, body, recipientId: user.id });
}

/** True for an account created by an administrator whose holder has not yet chosen a password. */
export const awaitsInvitation = (u: { passwordHash: string | null; activatedAt: Date | null }) =>
  u.passwordHash === null && u.activatedAt === null;

/** « Renvoyer l’invitation »: only for an account that never set its password. */
export async function resendInvitation(db: Db, adminId: number, userId: number, publicUrl: string, ip?: string) {
  return transaction(db, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!user) throw new NotFoundError();
    if (!awaitsInvitation(user)) throw new ConflictError('Ce compte a déjà son mot de passe : il n’a pas besoin d’invitation.');
    await sendInvitation(tx, user, publicUrl);
    await audit(tx, {
      action: 'user.invitation_resent',
      actorId: adminId,
      target: `user:${userId}`,
      ip,
      details: { login: user.login, to: user.email },
    });
  });
}

/**
 * Sets the first password through a valid invitation link, once, and activates the account.
 * The password follows the policy and is hashed before the transaction.
 */
export async function acceptInvitation(
  db: Db,
  rawToken: string,
  password: string,
  check: string,
  ip: string,
): Promise<TokenState> {
  const problem = password.length > MAX_PASSWORD_LENGTH ? (passwordProblem(password) ?? '') : passwordProblem(password);
  if (problem) throw new ValidationError({ password: problem });
  if (password !== check) throw new ValidationError({ passwordCheck: 'Les deux mots de passe ne sont pas identiques.' });
  const passwordHash = await hashPassword(password);
  return transaction(db, async (tx) => {
    const { state, row } = await consumeToken(tx, rawToken, 'invitation');
    if (state !== 'valid' || !row) return state;
    const [user] = await tx
      .select()
      .from(users)
      .where(and(eq(users.id, row.userId), isNull(users.passwordHash)));
    if (!user) return 'used';
    const personal = passwordProblem(password, user);
    if (personal) throw new ValidationError({ password: personal });
    await tx.update(users).set({ passwordHash, active: true, activatedAt: new Date() }).where(eq(users.id, user.id));
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await audit(tx, { action: 'account.invitation_accepted', actorId: user.id, ip });
    return 'valid';
  });
}
