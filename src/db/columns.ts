import { bigint, timestamp } from 'drizzle-orm/pg-core';

/** A timestamptz read as a Date. */
export const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
/** A bigint read as a number (ids and sizes stay below 2^53). */
export const id64 = (name: string) => bigint(name, { mode: 'number' });
