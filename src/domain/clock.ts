/**
 * The portal's « now » for service levels, automatic closing and the desk's due-date badges.
 * In production it is always the system clock; elsewhere tests may set it (in-process with
 * `setClock`, or with the CLOCK configuration value read at start) to check dates that depend
 * on the day of the week, holidays or daylight-saving changes.
 */

let fixed: Date | null = null;

export function now(): Date {
  return fixed ? new Date(fixed) : new Date();
}

/** Stops the clock at `date` (null: back to the system clock). Refused in production. */
export function setClock(date: Date | null): void {
  if (date && process.env.NODE_ENV === 'production') throw new Error('The clock cannot be set in production');
  if (date && Number.isNaN(date.getTime())) throw new RangeError('setClock: invalid date');
  fixed = date ? new Date(date) : null;
}
