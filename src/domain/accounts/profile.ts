/**
 * « Mon compte »: a person's own coordinates, e-mail address, password, sessions, data export
 * and deletion request. Each change is one transaction with its audit row and its e-mails.
 * Only the fields listed here can be changed by the person: role, structure, applications and
 * status are the administrators' (no mass assignment).
 */
import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import { type Db, type Executor, transaction } from '../../db/client.js';
import { applications, regions, sessions, structures, userApplications, users, userTokens } from '../../db/schema.js';
import { audit } from '../audit/audit.js';
import { ValidationError } from '../errors.js';
import { enqueueMail, headerSafe, type Mail } from '../notifications/outbox.js';
import { getSettings } from '../settings/settings.js';
import { displayName } from './actors.js';
import { passwordProblem } from './password-policy.js';
import { hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from './passwords.js';
import { consumeToken, createToken, inspectToken } from './tokens.js';

export const EMAIL_CHANGE_TTL_MS = 24 * 60 * 60 * 1000;

/** Where the change comes from: the public address for links, the client address for the audit trail. */
export type ChangeContext = { publicUrl: string; ip?: string };

export type Profile = {
  id: number;
  login: string;
  email: string;
  civility: 'M.' | 'Mme' | null;
  firstName: string;
  lastName: string;
  phone: string | null;
  role: (typeof users.$inferSelect)['role'];
  requesterKind: 'centre' | 'direccte' | null;
  structureName: string | null;
  regionName: string | null;
  applicationNames: string[];
  createdAt: Date;
  lastLoginAt: Date | null;
};

export async function getProfile(db: Executor, userId: number): Promise<Profile | null> {
  const [row] = await db
    .select({ u: users, structureName: structures.name, regionName: regions.name })
    .from(users)
    .leftJoin(structures, eq(structures.id, users.structureId))
    .leftJoin(regions, eq(regions.id, structures.regionId))
    .where(eq(users.id, userId));
  if (!row) return null;
  const apps = await db
    .select({ name: applications.name })
    .from(userApplications)
    .innerJoin(applications, eq(applications.id, userApplications.applicationId))
    .where(eq(userApplications.userId, userId))
    .orderBy(asc(applications.position), asc(applications.name));
  const { u } = row;
  return {
    id: u.id,
    login: u.login,
    email: u.email,
    civility: u.civility === 'M.' || u.civility === 'Mme' ? u.civility : null,
    firstName: u.firstName,
    lastName: u.lastName,
    phone: u.phone,
    role: u.role,
    requesterKind: u.requesterKind ?? null,
    structureName: row.structureName,
    regionName: row.regionName,
    applicationNames: apps.map((a) => a.name),
    createdAt: u.createdAt,
    lastLoginAt: u.lastLoginAt,
  };
}

/** « 0122334455 », « 01.22.33.44.55 », « +33 1 22 33 44 55 » → « 01 22 33 44 55 »; null when not a French number. */
export function normalizePhone(raw: string): string | null {
  const compact = raw.replace(/[\s.\-()]/g, '');
  const national = compact.replace(/^(?:\+33|0033)(?=[1-9])/, '0');
  if (!/^0[1-9]\d{8}$/.test(national)) return null;
  return national.replace(/(\d{2})(?=\d)/g, '$1 ');
}

const NAME_MAX = 100;
const NAME_PATTERN = /^[\p{L}\p{M}' ’.-]+$/u;
const EMAIL_PATTERN = /^[^\s@<>()",;:\\]+@[^\s@<>()",;:\\]+\.[^\s@<>()",;:\\]{2,}$/;

export type CoordinatesInput = { civility?: unknown; lastName?: unknown; firstName?: unknown; phone?: unknown };

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

export function checkCoordinates(input: CoordinatesInput) {
  const errors: Record<string, string> = {};
  const civility = text(input.civility);
  const lastName = text(input.lastName);
  const firstName = text(input.firstName);
  const phoneRaw = text(input.phone);
  if (civility !== 'M.' && civility !== 'Mme') errors.civility = 'Choisissez votre civilité : Madame ou Monsieur.';
  for (const [field, value, label] of [
    ['lastName', lastName, 'votre nom'],
    ['firstName', firstName, 'votre prénom'],
  ] as const) {
    if (!value) errors[field] = `Indiquez ${label}.`;
    else if (value.length > NAME_MAX) errors[field] = `${NAME_MAX} caractères au plus.`;
    else if (!NAME_PATTERN.test(value))
      errors[field] = 'Seuls les lettres, les espaces, les tirets et les apostrophes sont acceptés.';
  }
  const phone = phoneRaw ? normalizePhone(phoneRaw) : null;
  if (phoneRaw && !phone)
    errors.phone = 'Le numéro de téléphone doit compter 10 chiffres et commencer par 0, par exemple 01 22 33 44 55.';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { civility: civility as 'M.' | 'Mme', lastName, firstName, phone };
}

/** Changes the person's civility, names and phone; nothing else is read from the input. */
export async function updateCoordinates(db: Db, userId: number, input: CoordinatesInput, ctx: ChangeContext) {
  const next = checkCoordinates(input);
  await transaction(db, async (tx) => {
    const [before] = await tx
      .select({ civility: users.civility, lastName: users.lastName, firstName: users.firstName, phone: users.phone })
      .from(users)
      .where(eq(users.id, userId))
      .for('update');
    if (!before) throw new ValidationError({ lastName: 'Ce compte n’existe plus.' });
    await tx.update(users).set(next).where(eq(users.id, userId));
    await audit(tx, {
      action: 'account.coordinates',
      actorId: userId,
      target: `user:${userId}`,
      ip: ctx.ip,
      details: { before, after: next },
    });
  });
}

/** A mail about one's account: French, the portal's name, a link, the automatic-message notice. */
export async function accountMail(
  db: Executor,
  kind: string,
  to: string,
  name: string,
  subject: string,
  paragraphs: string[],
  link: { label: string; url: string },
): Promise<Mail> {
  const { serviceName } = await getSettings(db);
  return {
    kind,
    to,
    subject: `[${serviceName}] ${subject}`,
    body:
      `Bonjour ${name},\n\n${paragraphs.join('\n\n')}\n\n${link.label} : ${link.url}\n\n` +
      `Cordialement,\nLe portail ${serviceName}\n\n` +
      '— Ceci est un message automatique ; merci de ne pas y répondre.',
  };
}

export async function ownRow(db: Executor, userId: number) {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new ValidationError({ email: 'Ce compte n’existe plus.' });
  return user;
}

/**
 * First step of an e-mail change: checks the current password and sends a single-use link
 * (24 h) to the new address. Nothing changes until that link's button is used.
 */
export async function requestEmailChange(
  db: Db,
  userId: number,
  input: { email?: unknown; password?: unknown },
  ctx: ChangeContext,
) {
  const email = headerSafe(text(input.email));
  const password = typeof input.password === 'string' ? input.password : '';
  const user = await ownRow(db, userId);
  const errors: Record<string, string> = {};
  if (!email) errors.email = 'Indiquez votre nouvelle adresse électronique.';
  else if (email.length > 254 || !EMAIL_PATTERN.test(email))
    errors.email = 'L’adresse électronique doit être au format nom@domaine.fr.';
  else if (email.toLowerCase() === user.email.toLowerCase())
    errors.email = 'C’est déjà votre adresse électronique : indiquez-en une autre.';
  if (!password) errors.currentPassword = 'Indiquez votre mot de passe actuel.';
  else if (!(await verifyPassword(user.passwordHash, password))) errors.currentPassword = 'Le mot de passe actuel est incorrect.';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await transaction(db, async (tx) => {
    const token = await createToken(tx, userId, 'email_change', EMAIL_CHANGE_TTL_MS, { newEmail: email });
    await enqueueMail(
      tx,
      await accountMail(
        tx,
        'email_change_confirm',
        email,
        displayName(user),
        'Confirmez votre nouvelle adresse électronique',
        [
          `Vous avez demandé que les messages du portail vous soient désormais envoyés à cette adresse (${email}).`,
          'Pour confirmer ce changement, ouvrez le lien ci-dessous puis cliquez sur le bouton « Confirmer ma nouvelle adresse ». Ce lien est valable 24 heures et ne peut servir qu’une fois.',
          'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre adresse ne sera pas changée.',
        ],
        { label: 'Confirmer la nouvelle adresse', url: `${ctx.publicUrl}/mon-compte/courriel/${token}` },
      ),
    );
    await audit(tx, {
      action: 'account.email_change_requested',
      actorId: userId,
      target: `user:${userId}`,
      ip: ctx.ip,
      details: { newEmail: email },
    });
  });
  return email;
}

export type EmailLinkState = 'valid' | 'used' | 'expired' | 'unknown';

/** What an e-mail change link is worth for this person (another person's link is « unknown »). */
export async function inspectEmailChange(db: Executor, userId: number, raw: string) {
  const { state, row } = await inspectToken(db, raw, 'email_change');
  if (!row || row.userId !== userId) return { state: 'unknown' as EmailLinkState, newEmail: null };
  return { state: state as EmailLinkState, newEmail: row.newEmail };
}

/** Second step: the link's button. Uses the token once, changes the address, tells the old one. */
export async function confirmEmailChange(db: Db, userId: number, raw: string, ctx: ChangeContext) {
  return transaction(db, async (tx) => {
    const peek = await inspectEmailChange(tx, userId, raw);
    if (peek.state !== 'valid') return { state: peek.state, newEmail: null };
    const { state, row } = await consumeToken(tx, raw, 'email_change');
    if (state !== 'valid' || !row?.newEmail) return { state: state as EmailLinkState, newEmail: null };
    const user = await ownRow(tx, userId);
    const oldEmail = user.email;
    await tx.update(users).set({ email: row.newEmail }).where(eq(users.id, userId));
    await enqueueMail(
      tx,
      await accountMail(
        tx,
        'email_changed',
        oldEmail,
        displayName(user),
        'Votre adresse électronique a été changée',
        [
          `L’adresse électronique de votre compte « ${user.login} » a été changée : les messages du portail sont désormais envoyés à ${row.newEmail}.`,
          'Si vous n’êtes pas à l’origine de ce changement, appelez sans attendre l’assistance : quelqu’un utilise peut-être votre compte.',
        ],
        { label: 'Votre compte', url: `${ctx.publicUrl}/mon-compte` },
      ),
    );
    await audit(tx, {
      action: 'account.email_changed',
      actorId: userId,
      target: `user:${userId}`,
      ip: ctx.ip,
      details: { before: oldEmail, after: row.newEmail },
    });
    return { state: 'valid' as EmailLinkState, newEmail: row.newEmail };
  });
}

/**
 * Changes the password after checking the current one; the person's other sessions end
 * (`keepSid` stays open) and an e-mail confirms the change.
 */
export async function changePassword(
  db: Db,
  userId: number,
  input: { currentPassword?: unknown; newPassword?: unknown; confirmation?: unknown },
  ctx: ChangeContext & { keepSid: string },
) {
  const current = typeof input.currentPassword === 'string' ? input.currentPassword : '';
  const next = typeof input.newPassword === 'string' ? input.newPassword : '';
  const confirmation = typeof input.confirmation === 'string' ? input.confirmation : '';
  const user = await ownRow(db, userId);
  const errors: Record<string, string> = {};
  if (!current) errors.currentPassword = 'Indiquez votre mot de passe actuel.';
  else if (!(await verifyPassword(user.passwordHash, current))) errors.currentPassword = 'Le mot de passe actuel est incorrect.';
  const problem = next
    ? passwordProblem(next, { login: user.login, firstName: user.firstName, lastName: user.lastName })
    : 'Indiquez votre nouveau mot de passe.';
  if (problem) errors.newPassword = problem;
  else if (next === current) errors.newPassword = 'Le nouveau mot de passe doit être différent de l’actuel.';
  if (!errors.newPassword) {
    if (!confirmation) errors.confirmation = 'Saisissez une seconde fois le nouveau mot de passe.';
    else if (confirmation !== next)
      errors.confirmation = 'La confirmation ne correspond pas au nouveau mot de passe : saisissez-le à nouveau.';
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  if (next.length > MAX_PASSWORD_LENGTH) throw new ValidationError({ newPassword: 'Mot de passe trop long.' });
  const hash = await hashPassword(next);
  await transaction(db, async (tx) => {
    await tx.update(users).set({ passwordHash: hash }).where(eq(users.id, userId));
    const ended = await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, userId), ne(sessions.sid, ctx.keepSid)))
      .returning({ sid: sessions.sid });
    // A reset link sent earlier must not undo the new password.
    await tx
      .update(userTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, 'password_reset'), isNull(userTokens.usedAt)));
    await enqueueMail(
      tx,
      await accountMail(
        tx,
        'password_changed',
        user.email,
        displayName(user),
        'Votre mot de passe a été changé',
        [
          `Le mot de passe de votre compte « ${user.login} » vient d’être changé. Vos autres sessions ouvertes ont été fermées.`,
          'Si vous n’êtes pas à l’origine de ce changement, appelez sans attendre l’assistance : quelqu’un utilise peut-être votre compte.',
        ],
        { label: 'Votre compte', url: `${ctx.publicUrl}/mon-compte` },
      ),
    );
    await audit(tx, {
      action: 'account.password_changed',
      actorId: userId,
      target: `user:${userId}`,
      ip: ctx.ip,
      details: { endedSessions: ended.length },
    });
  });
}
