/**
 * Portal settings that administrators edit. Read often, written rarely: kept in memory
 * for a few seconds (other processes see a change within that delay).
 */
import { z } from 'zod';
import type { Executor, Tx } from '../../db/client.js';
import { settings as settingsTable } from '../../db/schema.js';
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
  /** People of one structure see each other's requests. */
  shareWithinStructure: checkbox,
  /** A short satisfaction survey is offered when a request is closed. */
  satisfactionSurvey: checkbox,
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
  shareWithinStructure: false,
  satisfactionSurvey: true,
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

/** Validates and saves every setting; throws ValidationError with a message per field. */
export async function saveSettings(tx: Tx, input: Record<string, unknown>, actorId: number): Promise<Settings> {
  // The caller clears the cache of its root handle once the transaction commits (clearSettingsCache).
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
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

function pick(stored: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(stored).filter(([k]) => k in DEFAULT_SETTINGS));
}
