/**
 * Notification templates: `{{variable}}` placeholders in plain text, filled in one pass (a value
 * that itself contains `{{…}}` stays as typed), the code's defaults overridden by an
 * administrator's edited version.
 */
import { eq } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/client.js';
import { notificationTemplates } from '../../db/schema.js';
import { audit } from '../audit/audit.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { type TemplateKey, type TemplateSpec, templateSpec } from './catalogue.js';
import { headerSafe } from './outbox.js';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export const SUBJECT_MAX = 250;
export const BODY_MAX = 20_000;

export type Template = { subject: string; body: string };

/** Replaces each `{{name}}` by its value; unknown names are left out (validation refuses them first). */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => values[name] ?? '');
}

/** The subject and body of a template with these values; the subject on one line. */
export function renderTemplate(template: Template, values: Record<string, string>): Template {
  return { subject: headerSafe(fill(template.subject, values)), body: fill(template.body, values) };
}

/** Placeholders of `text` that the template does not offer. */
export function unknownVariables(text: string, spec: TemplateSpec): string[] {
  const names = [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
  return [...new Set(names.filter((name) => !Object.hasOwn(spec.variables, name)))];
}

/** French field errors of an edited template (empty when it can be saved). */
export function checkTemplate(spec: TemplateSpec, input: Template): Record<string, string> {
  const errors: Record<string, string> = {};
  const check = (field: 'subject' | 'body', max: number) => {
    const value = input[field];
    if (!value.trim()) {
      errors[field] = 'Ce champ est obligatoire.';
      return;
    }
    if (value.length > max) {
      errors[field] = `Ce champ ne peut dépasser ${max.toLocaleString('fr-FR')} caractères.`;
      return;
    }
    const unknown = unknownVariables(value, spec);
    if (unknown.length) {
      const list = unknown.map((n) => `{{${n}}}`).join(', ');
      errors[field] =
        unknown.length > 1
          ? `Variables inconnues : ${list}. Utilisez celles de la liste.`
          : `Variable inconnue : ${list}. Utilisez celles de la liste.`;
    }
  };
  check('subject', SUBJECT_MAX);
  check('body', BODY_MAX);
  if (!errors.subject && /[\r\n]/.test(input.subject)) errors.subject = 'L’objet tient sur une seule ligne.';
  return errors;
}

/** The template in force: the administrator's version, or the code's default. */
export async function loadTemplate(db: Executor, key: TemplateKey): Promise<Template & { edited: boolean }> {
  const spec = templateSpec(key);
  if (!spec) throw new Error(`unknown template ${key}`);
  const [row] = await db.select().from(notificationTemplates).where(eq(notificationTemplates.key, key));
  return row ? { subject: row.subject, body: row.body, edited: true } : { subject: spec.subject, body: spec.body, edited: false };
}

/** Keys of the templates an administrator has edited. */
export async function editedKeys(db: Executor): Promise<Set<string>> {
  const rows = await db.select({ key: notificationTemplates.key }).from(notificationTemplates);
  return new Set(rows.map((r) => r.key));
}

type Who = { actorId: number; ip?: string };

function specOrNotFound(key: string): TemplateSpec {
  const spec = templateSpec(key);
  if (!spec) throw new NotFoundError();
  return spec;
}

/** Saves an administrator's version; refused with field errors when it uses unknown variables. */
export async function saveTemplate(tx: Tx, key: string, input: Template, who: Who): Promise<void> {
  const spec = specOrNotFound(key);
  const errors = checkTemplate(spec, input);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const values = { subject: input.subject.trim(), body: input.body.replace(/\r\n/g, '\n'), updatedBy: who.actorId };
  await tx
    .insert(notificationTemplates)
    .values({ key, ...values })
    .onConflictDoUpdate({ target: notificationTemplates.key, set: { ...values, updatedAt: new Date() } });
  await audit(tx, { action: 'template.update', actorId: who.actorId, target: `template:${key}`, ip: who.ip });
}

/** Goes back to the code's default. */
export async function resetTemplate(tx: Tx, key: string, who: Who): Promise<void> {
  specOrNotFound(key);
  await tx.delete(notificationTemplates).where(eq(notificationTemplates.key, key));
  await audit(tx, { action: 'template.reset', actorId: who.actorId, target: `template:${key}`, ip: who.ip });
}
