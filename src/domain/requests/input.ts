import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { Referentials } from '../referentials/referentials.js';
import { fieldErrors } from '../validation.js';
import type { Channel } from '../vocabulary.js';

const optionalId = z
  .union([z.literal(''), z.coerce.number().int().positive()])
  .optional()
  .transform((v) => (v === '' || v === undefined ? null : v));

// A subject goes into e-mail subjects and exports: one line (a tab pasted in becomes a space).
const noLineBreak = /^[^\r\n]*$/;

export const newRequestSchema = z.object({
  subject: z
    .string({ error: 'Indiquez le sujet de la demande.' })
    .regex(noLineBreak, 'Le sujet doit tenir sur une ligne.')
    .trim()
    .min(3, 'Indiquez le sujet de la demande (3 caractères au moins).')
    .max(200, 'Le sujet ne doit pas dépasser 200 caractères.')
    .transform((text) => text.replace(/\t/g, ' ')),
  blocking: z.enum(['oui', 'non'], { error: 'Indiquez si le problème est bloquant ou non.' }),
  applicationId: z.coerce
    .number({ error: 'Choisissez l’application concernée.' })
    .int()
    .positive('Choisissez l’application concernée.'),
  themeId: optionalId,
  problemTypeId: optionalId,
  businessReference: z
    .string()
    .regex(noLineBreak, 'La référence métier doit tenir sur une ligne.')
    .trim()
    .max(100, 'La référence métier ne doit pas dépasser 100 caractères.')
    .optional()
    .default(''),
  description: z
    .string({ error: 'Décrivez le problème rencontré.' })
    .trim()
    .min(10, 'Décrivez le problème rencontré (10 caractères au moins).')
    .max(20000, 'La description ne doit pas dépasser 20 000 caractères.'),
});

export type NewRequestInput = {
  subject: string;
  blocking: boolean;
  applicationId: number;
  themeId: number | null;
  problemTypeId: number | null;
  businessReference: string | null;
  description: string;
};

/** Validates a new request against the schema and the referentials; every wrong field is reported. */
export function parseNewRequest(raw: Record<string, unknown>, refs: Referentials): NewRequestInput {
  const parsed = newRequestSchema.safeParse(raw);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  // The choices are checked against the referentials even when other fields are wrong: every error shows at once.
  const field = <K extends 'applicationId' | 'themeId' | 'problemTypeId'>(name: K) => {
    const result = newRequestSchema.shape[name].safeParse(raw[name]);
    return errors[name] === undefined && result.success ? (result.data as number | null) : undefined;
  };
  const applicationId = field('applicationId');
  const themeId = field('themeId');
  const problemTypeId = field('problemTypeId');
  if (typeof applicationId === 'number' && !refs.applications.some((a) => a.id === applicationId)) {
    errors.applicationId = 'Choisissez l’application concernée.';
  }
  const themeFits = (t: Referentials['themes'][number]) =>
    t.id === themeId && (errors.applicationId !== undefined || t.applicationId === applicationId);
  if (typeof themeId === 'number' && !refs.themes.some(themeFits)) {
    errors.themeId = 'Choisissez un thème de l’application choisie.';
  }
  if (typeof problemTypeId === 'number' && !refs.problemTypes.some((p) => p.id === problemTypeId)) {
    errors.problemTypeId = 'Choisissez un type de problème de la liste.';
  }
  if (!parsed.success || Object.keys(errors).length > 0) throw new ValidationError(errors);
  const v = parsed.data;
  return {
    subject: v.subject,
    blocking: v.blocking === 'oui',
    applicationId: v.applicationId,
    themeId: v.themeId,
    problemTypeId: v.problemTypeId,
    businessReference: v.businessReference || null,
    description: v.description,
  };
}

/** « Pour le compte de »: the local-unit agent a regional user files for (they have no account). */
export type OnBehalf = { name: string; email: string; copy: boolean };

// A name or an address goes into e-mail headers: no line breaks or other control characters.
const oneLine = /^[^\p{Cc}]*$/u;

const onBehalfSchema = z.object({
  onBehalfName: z
    .string({ error: 'Indiquez le nom et le prénom de l’agent.' })
    .trim()
    .min(1, 'Indiquez le nom et le prénom de l’agent.')
    .max(160, 'Le nom ne doit pas dépasser 160 caractères.')
    .regex(oneLine, 'Indiquez le nom et le prénom de l’agent, sur une ligne.'),
  onBehalfEmail: z
    .string({ error: 'Indiquez l’adresse électronique de l’agent.' })
    .trim()
    .min(1, 'Indiquez l’adresse électronique de l’agent.')
    .pipe(z.email('Format attendu : nom@domaine.fr').max(254, 'Adresse trop longue.')),
});

/**
 * The on-behalf fields: null unless the box « Je dépose cette demande pour le compte… » is ticked
 * (without JavaScript the fields are always shown: the box says whether they count); then the
 * name and the address are both required.
 */
export function parseOnBehalf(raw: Record<string, unknown>): OnBehalf | null {
  if (raw.onBehalf !== 'oui') return null;
  const parsed = onBehalfSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  return { name: parsed.data.onBehalfName, email: parsed.data.onBehalfEmail, copy: raw.onBehalfCopy === 'oui' };
}

/** How a request came in, as the history and the summary say it. */
export const CHANNEL_LABELS: Record<Channel, string> = {
  portail: 'portail',
  telephone: 'téléphone',
  courriel: 'courriel',
  api: 'API',
};

/** The channels of a request the desk files for a caller. */
export const CALLER_CHANNELS = ['telephone', 'courriel'] as const satisfies readonly Channel[];

export function parseCallerChannel(raw: unknown): (typeof CALLER_CHANNELS)[number] {
  const channel = CALLER_CHANNELS.find((c) => c === raw);
  if (!channel) throw new ValidationError({ channel: 'Choisissez le canal par lequel la demande est arrivée.' });
  return channel;
}
