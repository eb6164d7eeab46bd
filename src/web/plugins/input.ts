/**
 * Control characters in what people send: PostgreSQL's text cannot hold NUL (it refuses the
 * whole statement), and no other C0 control but tab and line breaks means anything in this
 * portal's text. They are removed as the input arrives, before any schema or query sees it.
 */
import type { FastifyInstance } from 'fastify';

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export const withoutControls = (text: string) => text.replace(CONTROLS, '');

/** The same object with every string (or string of an array) cleaned; other values untouched. */
function clean(values: unknown): unknown {
  if (typeof values === 'string') return withoutControls(values);
  if (Array.isArray(values)) return values.map(clean);
  if (values && typeof values === 'object' && !Buffer.isBuffer(values)) {
    for (const [key, value] of Object.entries(values)) (values as Record<string, unknown>)[key] = clean(value);
  }
  return values;
}

/** Query strings and form bodies (multipart fields are cleaned by readMultipart). */
export function cleanInput(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    clean(request.query);
    request.body = clean(request.body);
  });
}
