/** The people of the workflow's tests. */
import type { WorkflowActor } from './workflow.js';

export const OWNER = 1;
export const STRANGER = 2;
export const AGENT = 10;
export const EXPERT = 20;
export const ADMIN = 30;
/** Another staff member, assignee of requests that are not the actor's. */
export const COLLEAGUE = 40;

/** Who acts; a starred kind is the request's current assignee. */
export type Kind = 'owner' | 'stranger' | 'agent' | 'agent*' | 'expert' | 'expert*' | 'admin' | 'admin*' | 'system';
export const KINDS: Kind[] = ['owner', 'stranger', 'agent', 'agent*', 'expert', 'expert*', 'admin', 'admin*', 'system'];

export const ACTOR: Record<Kind, WorkflowActor> = {
  owner: { id: OWNER, role: 'requester' },
  stranger: { id: STRANGER, role: 'requester' },
  agent: { id: AGENT, role: 'agent' },
  'agent*': { id: AGENT, role: 'agent' },
  expert: { id: EXPERT, role: 'expert' },
  'expert*': { id: EXPERT, role: 'expert' },
  admin: { id: ADMIN, role: 'admin' },
  'admin*': { id: ADMIN, role: 'admin' },
  system: { id: null, role: 'system' },
};

export const MESSAGE = 'Un message.';

/** A closing recent enough for its requester to reopen the request. */
export const STILL_REOPENABLE = new Date(Date.now() + 24 * 3600 * 1000);
