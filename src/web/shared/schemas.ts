/**
 * The pieces of the routes' schemas (zod, through fastify-type-provider-zod): what each route
 * declares of its params, query and body, so that its types and its validation are one source.
 * Forms stay lenient: each field is text, the command checks it and says what is wrong in French
 * next to the field; the schema refuses only what no form of the portal sends.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** The app as route plugins see it: routes typed by their zod schemas. */
export type ZodApp = Parameters<FastifyPluginAsyncZod>[0];

/** A text field of a form or an address (absent when not sent). */
export const text = z.string().optional();

/** A field a form may send several times (checkboxes, a multiple select): always a list. */
export const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** A parameter handed as sent to a domain parser, which takes the first of repeated values or the list. */
export const raw = z.union([z.string(), z.array(z.string())]).optional();

/** A query parameter read once: the first value when it is repeated. */
export const first = raw.transform((v) => (Array.isArray(v) ? v[0] : v));

/**
 * A positive whole number in the address (a request number, an id), written in digits only
 * (« 0x10 », « 1e2 » or « 5 » with spaces name nothing): anything else is « Page non trouvée ».
 */
const digits = (max: number) =>
  z
    .string()
    .regex(/^\d{1,16}$/)
    .transform(Number)
    .pipe(z.number().int().positive().max(max));
const positive = digits(Number.MAX_SAFE_INTEGER);
/** An id of a serial column (int). */
const serial = digits(2_147_483_647);
/** The same, for params named otherwise (`/documents/:id/versions/:version`). */
export const serialParam = serial;

export const numberParams = z.object({ number: positive });
export const idParams = z.object({ id: serial });
/** An attachment's id (a bigserial column). */
export const fileIdParams = z.object({ id: positive });
export const tokenParams = z.object({ token: z.string().max(200) });

/**
 * A form's body: the fields named, as text unless said otherwise, and whatever else the page sent
 * (the CSRF token, read after validation, among them).
 */
export const form = <T extends z.ZodRawShape>(fields: T) => z.looseObject({ _csrf: text, ...fields });

/** A query string: the parameters named, and any other left as sent. */
export const query = <T extends z.ZodRawShape>(fields: T) => z.object(fields).catchall(raw);
