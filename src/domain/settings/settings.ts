/**
 * Portal settings that administrators edit. Read often, written rarely: kept in memory
 * for a few seconds (other processes see a change within that delay).
 */
import { z } from 'zod';
import { type Db, type Executor, type Tx, transaction } from '../../db/client.js';
import { settings as settingsTable } from '../../db/schema.js';
import { audit } from '../audit/audit.js';
import { ValidationError } from '../errors.js';
import { fieldErrors } from '../validation.js';

const phone = z
  .string()
  .trim()
  .regex(/^0[1-9](\s?\d{2}){4}$/, 'Format attendu : 01 22 33 44 55');

/** A checkbox: absent from a form leaves the setting unchanged (the form sends a hidden "false" first). */
const checkbox = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'on']).transform((v) => v === 'true' || v === '1' || v === 'on')])
  .optional();

const days = (max: number) =>
  z.coerce
    .number({ error: 'Indiquez un nombre de jours.' })
    .int('Indiquez un nombre entier de jours.')
    .min(1, 'Un jour au moins.')
    .max(max, `${max} jours au plus.`);

const timeOfDay = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Format attendu : 09:00');

/** Working days, ISO numbers (1 = Monday … 7 = Sunday). */
const weekDays = z
  .array(z.coerce.number().int().min(1).max(7), { error: 'Choisissez les jours ouvrés.' })
  .min(1, 'Cochez au moins un jour ouvré.')
  .transform((list) => [...new Set(list)].sort((a, b) => a - b));

const hours = (max: number) =>
  z.coerce
    .number({ error: 'Indiquez un nombre d’heures.' })
    .int('Indiquez un nombre entier d’heures.')
    .min(1, 'Une heure au moins.')
    .max(max, `${max} heures au plus.`);

export const settingsSchema = z.object({
  serviceName: z.string().trim().min(3, 'Le nom du service est obligatoire.').max(120, '120 caractères au plus.'),
  ministryName: z.string().trim().min(3, 'Le nom du ministère est obligatoire.').max(160, '160 caractères au plus.'),
  supportPhone: phone,
  supportHours: z.string().trim().min(3, 'Les horaires sont obligatoires.').max(60, '60 caractères au plus.'),
  welcomeText: z.string().trim().min(10, 'Le texte d’accueil est obligatoire.').max(4000, '4 000 caractères au plus.'),
  accessibilityStatus: z.enum(['non conforme', 'partiellement conforme', 'totalement conforme']),
  activationDays: days(60),
  /** « Double authentification obligatoire pour les administrateurs ». */
  adminTotpRequired: checkbox,
  /** A resolved request with no reaction is closed after this many working days… */
  autoCloseDays: days(60),
  /** …with a reminder this many working days before. */
  autoCloseReminderDays: days(30),
  /** A requester may reopen their closed request for this many working days. */
  reopenDays: days(60),
  /** People of one structure see each other's requests. */
  shareWithinStructure: checkbox,
  /** A short satisfaction survey is offered when a request is closed. */
  satisfactionSurvey: checkbox,
  /** Who requesters read in a request's history for the desk's steps; empty: each agent's name. */
  staffNameInHistory: z.string().trim().max(60, '60 caractères au plus.'),
  /** Working time of the desk (time zone Europe/Paris): days, hours, public holidays off. */
  workingDays: weekDays,
  workdayStart: timeOfDay,
  workdayEnd: timeOfDay,
  excludeHolidays: checkbox,
  /** Service-level targets, in working time, by blocking flag. */
  blockingFirstResponseHours: hours(100),
  blockingResolutionDays: days(60),
  normalFirstResponseDays: days(60),
  normalResolutionDays: days(60),
});

export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  serviceName: 'Assistance des applications des Ministères sociaux',
  ministryName: 'Ministère du Travail\net des Solidarités',
  supportPhone: '01 46 29 25 54',
  supportHours: 'Lu-Ve, 9h - 18h',
  welcomeText:
    'Bienvenue sur le site d’assistance des applications des Ministères sociaux.\n\n' +
    'Ce service prend en charge les applications {applications}. N’hésitez pas à consulter l’aide en ligne ou à nous contacter.\n\n' +
    'Pour toute création d’une demande, merci de joindre une capture d’écran si celle-ci vous semble utile à la résolution de votre problème.\n\n' +
    'Bonne navigation.',
  accessibilityStatus: 'partiellement conforme',
  activationDays: 7,
  // Required in production; the development demo accounts are exempt.
  adminTotpRequired: process.env.NODE_ENV === 'production',
  autoCloseDays: 10,
  autoCloseReminderDays: 2,
  reopenDays: 10,
  shareWithinStructure: false,
  satisfactionSurvey: true,
  // « Mis à jour par le support … » in the guide: requesters read the desk, not an agent's name.
  staffNameInHistory: 'l’assistance',
  workingDays: [1, 2, 3, 4, 5],
  workdayStart: '09:00',
  workdayEnd: '18:00',
  excludeHolidays: true,
  blockingFirstResponseHours: 4,
  blockingResolutionDays: 2,
  normalFirstResponseDays: 1,
  normalResolutionDays: 5,
};

const TTL_MS = 5000;
// Keyed by database handle, so several portals in one process (tests) never share a cache.
const caches = new WeakMap<Executor, { value: Settings; at: number }>();

export async function getSettings(db: Executor): Promise<Settings> {
  const cached = caches.get(db);
  if (cached && Date.now() - cached.at < TTL_MS) return cached.value;
  const rows = await db.select().from(settingsTable);
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const value = { ...DEFAULT_SETTINGS, ...settingsSchema.partial().parse(pick(stored)) };
  caches.set(db, { value, at: Date.now() });
  return value;
}

/**
 * « Paramètres » saved by an administrator: validated, written and audited in one transaction;
 * the cache is cleared once it has committed. Throws ValidationError with a message per field.
 */
export async function updateSettings(db: Db, input: Record<string, unknown>, who: { actorId: number; ip: string }) {
  await transaction(db, async (tx) => {
    await saveSettings(tx, input, who.actorId);
    await audit(tx, { action: 'settings.update', actorId: who.actorId, ip: who.ip, details: { keys: Object.keys(input) } });
  });
  clearSettingsCache(db);
}

/** Validates and saves every setting; throws ValidationError with a message per field. */
export async function saveSettings(tx: Tx, input: Record<string, unknown>, actorId: number): Promise<Settings> {
  // A setting the form does not send keeps its value (forms of an older page, API clients).
  const parsed = settingsSchema.safeParse({ ...(await getSettings(tx)), ...foldWeekDays(input) });
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  const { workdayStart, workdayEnd } = parsed.data;
  if (workdayStart >= workdayEnd)
    throw new ValidationError({ workdayEnd: 'L’heure de fin doit suivre l’heure de début de la journée.' });
  for (const [key, value] of Object.entries(parsed.data)) {
    await tx
      .insert(settingsTable)
      .values({ key, value, updatedBy: actorId })
      .onConflictDoUpdate({ target: settingsTable.key, set: { value, updatedBy: actorId, updatedAt: new Date() } });
  }
  return parsed.data;
}

export function clearSettingsCache(db: Executor) {
  caches.delete(db);
}

/** The form has one checkbox per week day (`workingDay1` … `workingDay7`, each after a hidden "false"). */
function foldWeekDays(input: Record<string, unknown>): Record<string, unknown> {
  const keys = [1, 2, 3, 4, 5, 6, 7].map((day) => [day, `workingDay${day}`] as const);
  if (!keys.some(([, key]) => key in input)) return input;
  const rest = { ...input };
  const workingDays: number[] = [];
  for (const [day, key] of keys) {
    if (checked(rest[key])) workingDays.push(day);
    delete rest[key];
  }
  return { ...rest, workingDays };
}

const checked = (value: unknown) => value === true || value === 'true' || value === 'on' || value === '1';

function pick(stored: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(stored).filter(([k]) => k in DEFAULT_SETTINGS));
}
