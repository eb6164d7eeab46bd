import type { z } from 'zod';

/** First message of each field of a zod error, keyed by field name. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_');
    fields[key] ??= issue.message;
  }
  return fields;
}

/** A value that fits an `int`/`serial` id column (anything else would make PostgreSQL fail the query). */
export const isSerialId = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0 && (n as number) <= 2_147_483_647;

/** A value that fits a `bigint`/`bigserial` id column and a JavaScript number. */
export const isBigId = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;
