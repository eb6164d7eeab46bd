/**
 * « Demande de compte »: anyone may ask; nothing can log in until an administrator validates the
 * request and the person activates the account from the e-mailed link.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor, Tx } from '../../db/client.js';
import { accountRequests, structures, userApplications, users } from '../../db/schema.js';
import type { Actor } from '../actor.js';
import { audit } from '../audit/audit.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { byFrenchName } from '../french.js';
import {
  accountAlreadyExistsMail,
  accountRefusedMail,
  accountRequestReceivedMail,
  activationMail,
} from '../notifications/account-messages.js';
import { enqueueMail } from '../notifications/outbox.js';
import type { Referentials } from '../referentials/referentials.js';
import { getSettings } from '../settings/settings.js';
import { fieldErrors } from '../validation.js';
import { displayName } from './actors.js';
import { passwordProblem } from './password-policy.js';
import { MAX_PASSWORD_LENGTH } from './passwords.js';
import { createToken } from './tokens.js';

const required = (message: string) => z.string({ error: message }).trim().min(1, message);

export const accountRequestSchema = z.object({
  login: required('Choisissez un identifiant.').pipe(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/i, 'De 3 à 40 caractères : lettres sans accent, chiffres, point, tiret ou tiret bas.'),
  ),
  civility: z.enum(['M.', 'Mme'], { error: 'Indiquez votre civilité.' }),
  lastName: required('Indiquez votre nom.').pipe(z.string().max(80, '80 caractères au plus.')),
  firstName: required('Indiquez votre prénom.').pipe(z.string().max(80, '80 caractères au plus.')),
  email: required('Indiquez votre adresse électronique.').pipe(
    z.email('Format attendu : nom@domaine.fr').max(254, 'Adresse trop longue.'),
  ),
  phone: required('Indiquez votre numéro de téléphone.').pipe(
    z.string().regex(/^(?:(?:\+|00)33\s?|0)[1-9](?:[\s.-]?\d{2}){4}$/, 'Format attendu : 01 22 33 44 55'),
  ),
  applicationIds: z.array(z.coerce.number().int().positive()).min(1, 'Choisissez au moins une application.'),
  regionId: z.coerce.number({ error: 'Choisissez votre région.' }).int().positive('Choisissez votre région.'),
  structureName: required('Indiquez le nom de votre structure.').pipe(z.string().max(160, '160 caractères au plus.')),
  natureId: z.coerce
    .number({ error: 'Choisissez la nature de la structure.' })
    .int()
    .positive('Choisissez la nature de la structure.'),
  typeId: z.coerce.number({ error: 'Choisissez le type de structure.' }).int().positive('Choisissez le type de structure.'),
  password: z.string({ error: 'Choisissez un mot de passe.' }).min(1, 'Choisissez un mot de passe.'),
  passwordCheck: z.string({ error: 'Saisissez à nouveau le mot de passe.' }),
});

export type AccountRequestInput = z.infer<typeof accountRequestSchema>;

/** A French phone number in the portal's format: « 01 22 33 44 55 ». */
export function formatPhone(raw: string): string {
  const digits = raw.replace(/\D/g, '').replace(/^(?:0033|33)/, '0');
  return digits.replace(/(\d{2})(?=\d)/g, '$1 ');
}

/** Validates a request for an account; every wrong field is reported at once. */
export async function parseAccountRequest(
  db: Executor,
  raw: Record<string, unknown>,
  refs: Referentials,
): Promise<AccountRequestInput> {
  // The password is checked for length before anything else touches it (a 1 MB value costs nothing).
  const password = typeof raw.password === 'string' ? raw.password : '';
  if (password.length > MAX_PASSWORD_LENGTH) throw new ValidationError({ password: passwordProblem(password) ?? '' });
  const parsed = accountRequestSchema.safeParse(raw);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  const v = parsed.success ? parsed.data : null;
  if (v) {
    if (!v.applicationIds.every((id) => refs.applications.some((a) => a.id === id)))
      errors.applicationIds = 'Choisissez des applications de la liste.';
    if (!refs.regions.some((r) => r.id === v.regionId)) errors.regionId = 'Choisissez votre région.';
    if (!refs.natures.some((n) => n.id === v.natureId)) errors.natureId = 'Choisissez la nature de la structure.';
    if (!refs.types.some((t) => t.id === v.typeId)) errors.typeId = 'Choisissez le type de structure.';
  }
  const text = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string).trim() : '');
  const login = text('login');
  if (!errors.password && password) {
    const problem = passwordProblem(password, { login, firstName: text('firstName'), lastName: text('lastName') });
    if (problem) errors.password = problem;
    else if (password !== raw.passwordCheck) errors.passwordCheck = 'Les deux mots de passe ne sont pas identiques.';
  }
  if (!errors.login && login && (await loginTaken(db, login))) {
    errors.login = 'Cet identifiant est déjà pris : choisissez-en un autre.';
  }
  if (!v || Object.keys(errors).length > 0) throw new ValidationError(errors);
  return v;
}

/** Identifiants are not secret: their availability may be told. */
export async function loginTaken(db: Executor, login: string): Promise<boolean> {
  const rows = await db.execute(sql`
    select 1 from users where lower(login) = lower(${login})
    union all
    select 1 from account_requests where lower(login) = lower(${login}) and status = 'pending'
    limit 1`);
  return rows.rows.length > 0;
}

/**
 * Records the request (the password already hashed, outside the transaction). An address already
 * known is never revealed: the answer is the same, and the address's holder is told by e-mail.
 */
export async function submitAccountRequest(tx: Tx, input: AccountRequestInput, passwordHash: string, publicUrl: string) {
  const [known] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${input.email})`);
  if (known) {
    await enqueueMail(tx, accountAlreadyExistsMail(input.email, publicUrl));
    await audit(tx, { action: 'account_request.known_email', target: `user:${known.id}` });
    return;
  }
  const [row] = await tx
    .insert(accountRequests)
    .values({
      login: input.login,
      civility: input.civility,
      firstName: input.firstName,
      lastName: input.lastName,
      email: input.email,
      phone: formatPhone(input.phone),
      applicationIds: input.applicationIds,
      regionId: input.regionId,
      structureName: input.structureName,
      natureId: input.natureId,
      typeId: input.typeId,
      passwordHash,
    })
    .returning({ id: accountRequests.id });
  await enqueueMail(tx, accountRequestReceivedMail(input.email, displayName(input)));
  await audit(tx, { action: 'account_request.submit', target: `account_request:${row?.id}` });
}

export async function listAccountRequests(db: Executor) {
  return db
    .select()
    .from(accountRequests)
    .orderBy(sql`${accountRequests.status} = 'pending' desc`, desc(accountRequests.createdAt))
    .limit(200);
}

export async function getAccountRequest(db: Executor, id: number) {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2 ** 31) return null;
  const [row] = await db.select().from(accountRequests).where(eq(accountRequests.id, id));
  return row ?? null;
}

/** Existing structures of a region, to attach the new account to one of them. */
export async function structuresOfRegion(db: Executor, regionId: number) {
  const rows = await db
    .select({ id: structures.id, name: structures.name })
    .from(structures)
    .where(eq(structures.regionId, regionId));
  return rows.sort(byFrenchName);
}

export const approvalSchema = z.object({
  role: z.enum(['requester', 'agent', 'expert', 'admin'], { error: 'Choisissez le rôle.' }),
  requesterKind: z.enum(['centre', 'direccte']).optional(),
  structure: z.string({ error: 'Choisissez la structure.' }).min(1, 'Choisissez la structure.'),
  newStructureName: z.string().trim().max(160, '160 caractères au plus.').optional().default(''),
});

export type Approval = z.infer<typeof approvalSchema>;

async function pendingRequest(tx: Tx, id: number) {
  const [row] = await tx.select().from(accountRequests).where(eq(accountRequests.id, id)).for('update');
  if (!row) throw new NotFoundError();
  if (row.status !== 'pending') throw new ConflictError('Cette demande de compte a déjà été traitée.');
  return row;
}

/**
 * Validates a request: creates the (not yet active) account in the chosen structure — an existing
 * one of the region, or a new one — and e-mails the single-use activation link.
 */
export async function approveAccountRequest(tx: Tx, admin: Actor, id: number, raw: Record<string, unknown>, publicUrl: string) {
  const parsed = approvalSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  const decision = parsed.data;
  const request = await pendingRequest(tx, id);
  if (await loginTakenByUser(tx, request.login))
    throw new ConflictError('Cet identifiant a été attribué entre-temps : refusez la demande en l’expliquant.');
  const structureId = await chooseStructure(tx, request, decision);
  const [user] = await tx
    .insert(users)
    .values({
      login: request.login,
      email: request.email,
      civility: request.civility,
      firstName: request.firstName,
      lastName: request.lastName,
      phone: request.phone,
      role: decision.role,
      requesterKind: decision.role === 'requester' ? (decision.requesterKind ?? 'centre') : null,
      structureId,
      passwordHash: request.passwordHash,
      active: false,
      activatedAt: null,
    })
    .returning({ id: users.id });
  if (!user) throw new Error('insert returned nothing');
  if (request.applicationIds.length) {
    await tx.insert(userApplications).values(request.applicationIds.map((applicationId) => ({ userId: user.id, applicationId })));
  }
  await tx
    .update(accountRequests)
    .set({ status: 'approved', decidedBy: admin.id, decidedAt: new Date(), userId: user.id })
    .where(eq(accountRequests.id, id));
  await sendActivation(tx, user.id, request.email, displayName(request), publicUrl);
  await audit(tx, {
    action: 'account_request.approve',
    actorId: admin.id,
    target: `account_request:${id}`,
    details: { userId: user.id, role: decision.role, structureId },
  });
  return user.id;
}

/** Creates a new activation link for an account (valid for the days set in Paramètres) and e-mails it. */
export async function sendActivation(tx: Tx, userId: number, email: string, name: string, publicUrl: string) {
  const { activationDays } = await getSettings(tx);
  const token = await createToken(tx, userId, 'activation', activationDays * 24 * 3600 * 1000);
  await enqueueMail(tx, activationMail(email, name, `${publicUrl}/activation/${token}`, activationDays));
}

async function loginTakenByUser(tx: Tx, login: string) {
  const [row] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.login}) = lower(${login})`);
  return Boolean(row);
}

async function chooseStructure(tx: Tx, request: typeof accountRequests.$inferSelect, decision: Approval): Promise<number> {
  if (decision.structure === 'new') {
    const name = decision.newStructureName || request.structureName;
    const [row] = await tx
      .insert(structures)
      .values({ name, regionId: request.regionId, natureId: request.natureId, typeId: request.typeId })
      .onConflictDoUpdate({ target: [structures.name, structures.regionId], set: { name } })
      .returning({ id: structures.id });
    if (!row) throw new Error('insert returned nothing');
    return row.id;
  }
  const id = Number(decision.structure);
  const [row] = await tx
    .select({ id: structures.id })
    .from(structures)
    .where(and(eq(structures.id, Number.isSafeInteger(id) ? id : 0), eq(structures.regionId, request.regionId)));
  if (!row) throw new ValidationError({ structure: 'Choisissez une structure de la région du demandeur.' });
  return row.id;
}

export async function refuseAccountRequest(tx: Tx, admin: Actor, id: number, reason: string) {
  const text = reason.trim();
  if (text.length < 5) throw new ValidationError({ reason: 'Indiquez la raison du refus : elle est envoyée au demandeur.' });
  const request = await pendingRequest(tx, id);
  await tx
    .update(accountRequests)
    .set({ status: 'refused', refusalReason: text.slice(0, 2000), decidedBy: admin.id, decidedAt: new Date() })
    .where(eq(accountRequests.id, id));
  await enqueueMail(tx, accountRefusedMail(request.email, displayName(request), text));
  await audit(tx, { action: 'account_request.refuse', actorId: admin.id, target: `account_request:${id}` });
}
