import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { Referentials } from '../referentials/referentials.js';
import { fieldErrors } from '../validation.js';

const optionalId = z
  .union([z.literal(''), z.coerce.number().int().positive()])
  .optional()
  .transform((v) => (v === '' || v === undefined ? null : v));

export const newRequestSchema = z.object({
  subject: z
    .string({ error: 'Indiquez le sujet de la demande.' })
    .trim()
    .min(3, 'Indiquez le sujet de la demande (3 caractères au moins).')
    .max(200, 'Le sujet ne doit pas dépasser 200 caractères.'),
  blocking: z.enum(['oui', 'non'], { error: 'Indiquez si le problème est bloquant ou non.' }),
  applicationId: z.coerce
    .number({ error: 'Choisissez l’application concernée.' })
    .int()
    .positive('Choisissez l’application concernée.'),
  themeId: optionalId,
  problemTypeId: optionalId,
  businessReference: z
    .string()
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
