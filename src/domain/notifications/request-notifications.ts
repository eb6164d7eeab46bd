/**
 * Which notifications a change of a request sends, and to whom. Called by the request commands
 * inside their transaction; the outbox delivers afterwards.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { type requests, users } from '../../db/schema.js';
import { displayName } from '../accounts/actors.js';
import type { Action } from '../requests/workflow.js';
import { answeredMail, complementAskedMail, receiptMail } from './messages.js';
import { enqueueMail } from './outbox.js';

/** What a notification needs to build links and reply addresses. */
export type MailContext = {
  publicUrl: string;
  /** Replies by e-mail: base address and the secret their tokens are signed with. */
  replyTo?: { base: string; secret: string };
};

export function mailContextOf(config: { publicUrl: string; mailReplyTo?: string; sessionSecret: string }): MailContext {
  return {
    publicUrl: config.publicUrl,
    replyTo: config.mailReplyTo ? { base: config.mailReplyTo, secret: config.sessionSecret } : undefined,
  };
}

type Request = typeof requests.$inferSelect;

export type ActionChange = {
  action: Action;
  /** The request as it was before the action. */
  request: Request;
  actorId: number | null;
  eventId: number;
  message: string;
  /** Names of the files sent with the action. */
  files: string[];
};

/** Notifications of a new request. */
export async function notifyFiled(tx: Tx, request: Request, context: MailContext): Promise<void> {
  const to = await recipient(tx, request.requesterId);
  if (to) await enqueueMail(tx, receiptMail(context.publicUrl, request, to));
}

/** Notifications of a workflow action. */
export async function notifyAction(tx: Tx, change: ActionChange, context: MailContext): Promise<void> {
  const { action, request, message, files } = change;
  if (action !== 'ask_info' && action !== 'resolve') return;
  const to = await recipient(tx, request.requesterId);
  if (!to) return;
  const mail =
    action === 'ask_info'
      ? complementAskedMail(context.publicUrl, request, to, message)
      : answeredMail(context.publicUrl, request, to, message, files);
  await enqueueMail(tx, mail);
}

async function recipient(tx: Tx, userId: number) {
  const [user] = await tx.select().from(users).where(eq(users.id, userId));
  return user ? { email: user.email, displayName: displayName(user) } : null;
}

/** The reminder sent before a resolved request is closed automatically on `closesOn`. */
export async function notifyAutoCloseReminder(
  _tx: Tx,
  _request: Request,
  _closesOn: Date,
  _context: MailContext,
): Promise<void> {}
