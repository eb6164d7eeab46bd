/**
 * The words every layer shares: the database columns are typed with them, the domain decides
 * with them, the views label them.
 */

/** `pilot`: « Pilote », who steers: sees the figures of their applications, never a request. */
export type Role = 'requester' | 'agent' | 'expert' | 'admin' | 'pilot';

/** How a request came in. */
export type Channel = 'portail' | 'telephone' | 'courriel' | 'api';

export type RequestStatus = 'new' | 'in_progress' | 'awaiting_info' | 'resolved' | 'closed';

export const STATUSES: readonly RequestStatus[] = ['new', 'in_progress', 'awaiting_info', 'resolved', 'closed'];

/** What a person does on a request; the state machine (requests/workflow.ts) decides each one. */
export type Action =
  | 'take'
  | 'ask_info'
  | 'resolve'
  | 'escalate'
  | 'send_back'
  | 'internal_note'
  | 'reassign'
  | 'add_info'
  | 'accept'
  | 'refuse'
  | 'auto_close'
  | 'mark_duplicate'
  | 'reopen';

export const ACTIONS: readonly Action[] = [
  'take',
  'ask_info',
  'resolve',
  'escalate',
  'send_back',
  'internal_note',
  'reassign',
  'add_info',
  'accept',
  'refuse',
  'auto_close',
  'mark_duplicate',
  'reopen',
];

/** The kinds of a request's history events: its actions, and what happens around them. */
export type EventKind =
  | Action
  | 'created'
  | 'auto_close_reminder'
  | 'link'
  | 'unlink'
  | 'satisfaction'
  | 'resource_link'
  | 'resource_unlink';

/** Who is told of new requests, and how: at each one, in a daily digest, or not at all. */
export type NotifyMode = 'immediate' | 'digest' | 'none';

/** Who may read a piece of knowledge (FAQ entry, document, news item). */
export type Audience = 'public' | 'users' | 'agents';
