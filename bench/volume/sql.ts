/**
 * SQL fragments of the volume generator: deterministic pseudo-randomness from a row's number,
 * picks from French phrase arrays. Only numbers and the vocabulary are ever inlined (no input).
 * Every function used exists on PostgreSQL 15 and in the embedded PGlite.
 */

/** A non-negative pseudo-random integer below 2^31, the same for the same expression and salt. */
export const hash = (expr: string, salt: number) => `(hashint8((${expr})::bigint * 1009 + ${salt}) & 2147483647)`;

/** A pseudo-random number in [0, 1). */
export const unit = (expr: string, salt: number) => `(${hash(expr, salt)}::float8 / 2147483648.0)`;

/** A pseudo-random integer in [0, n). */
export const below = (expr: string, salt: number, n: number) => `(${hash(expr, salt)} % ${n})`;

export const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

export const textArray = (items: readonly string[]) => `array[${items.map(quote).join(',')}]::text[]`;

/** One element of the list, chosen by the hash. */
export const pick = (items: readonly string[], expr: string, salt: number) =>
  `(${textArray(items)})[1 + ${below(expr, salt, items.length)}]`;

/** One element of a list of ids, chosen by the hash (null for an empty list). */
export const pickId = (ids: readonly number[], expr: string, salt: number) =>
  ids.length ? `(array[${ids.join(',')}]::int[])[1 + ${below(expr, salt, ids.length)}]` : 'null::int';

/** An index into weighted choices: `weights` in per cent (or any total), cumulative thresholds. */
export function weighted(expr: string, salt: number, weights: readonly number[]): string {
  const total = weights.reduce((a, b) => a + b, 0);
  const roll = below(expr, salt, total);
  let sum = 0;
  const branches = weights.slice(0, -1).map((w, i) => {
    sum += w;
    return `when ${roll} < ${sum} then ${i}`;
  });
  return `(case ${branches.join(' ')} else ${weights.length - 1} end)`;
}

export const timestamp = (at: Date) => `'${at.toISOString()}'::timestamptz`;
