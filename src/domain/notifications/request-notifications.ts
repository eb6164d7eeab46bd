/**
 * Which notifications a change of a request sends, and to whom. Called by the request commands
 * inside their transaction; the outbox delivers afterwards. Internal notes and the private
 * message of a routing action (escalate, send back) never go into a mail.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { applications, attachments, requests } from '../../db/schema.js';
import { isOpen } from '../requests/workflow.js';
import type { Action } from '../vocabulary.js';
import type { TemplateKey } from './catalogue.js';
import { enqueueMail, enqueueMails } from './outbox.js';
import { handlers, type Person, personOf, staffOf } from './recipients.js';
import { replyAddress } from './reply-address.js';
import { loadTemplate, renderTemplate } from './templates.js';

/** What a notification needs to build links, reply addresses and message ids. */
export type MailContext = {
  publicUrl: string;
  /** Replies by e-mail: base address and the secret their tokens are signed with. */
  replyTo?: { base: string; secret: string };
  /** The no-reply sender; its domain names the mails' Message-ID and thread reference. */
  mailFrom?: string;
};

export function mailContextOf(config: {
  publicUrl: string;
  mailReplyTo?: string;
  sessionSecret: string;
  mailFrom?: string;
}): MailContext {
  return {
    publicUrl: config.publicUrl,
    replyTo: config.mailReplyTo ? { base: config.mailReplyTo, secret: config.sessionSecret } : undefined,
    mailFrom: config.mailFrom,
  };
}

/** Answers' files go along with the mail up to this total; beyond, they are listed with the link. */
export const ATTACHMENTS_MAX_BYTES = 5 * 1024 * 1024;

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

/** The domain of the sender's address (`Name <x@domain>` or `x@domain`), else the portal's host. */
export function mailDomain(context: MailContext): string {
  const match = context.mailFrom ? /@([^>\s]+)>?\s*$/.exec(context.mailFrom) : null;
  return (match?.[1] ?? new URL(context.publicUrl).hostname).toLowerCase();
}

export const requestLink = (context: MailContext, number: number) => `${context.publicUrl}/demandes/${number}`;

type Outgoing = {
  key: TemplateKey;
  /** Names the event the mail tells of (with the kind and the recipient, its dedupe key). */
  eventKey: string;
  values: Record<string, string>;
  attachmentIds?: number[];
};

/** Renders a template for a user of the portal and writes it to the outbox. */
const mailUser = (tx: Tx, context: MailContext, request: Request, to: Person, out: Outgoing) =>
  mailAll(tx, context, request, [to], out);

/** One template and application lookup and one insert, however many people are told. */
async function mailAll(tx: Tx, context: MailContext, request: Request, people: Person[], out: Outgoing) {
  if (!people.length) return;
  const application = await applicationName(tx, request.applicationId);
  const template = await loadTemplate(tx, out.key);
  const mails = people.map((to) => {
    const values = {
      numero: String(request.number),
      sujet: request.subject,
      application,
      destinataire: to.name,
      lien: requestLink(context, request.number),
      ...out.values,
    };
    const { subject, body } = renderTemplate(template, values);
    const replyTo = context.replyTo
      ? replyAddress(context.replyTo.base, context.replyTo.secret, { requestNumber: request.number, userId: to.id })
      : undefined;
    return {
      kind: out.key,
      to: to.email,
      subject,
      body: body + footer(Boolean(replyTo) && repliesAdd(request, to)),
      requestId: request.id,
      recipientId: to.id,
      replyTo,
      dedupeKey: `${out.eventKey}:${out.key}:u${to.id}`,
      attachmentIds: out.attachmentIds,
      thread: { requestNumber: request.number, domain: mailDomain(context) },
    };
  });
  await enqueueMails(tx, mails);
}

/** A reply by e-mail adds information when the requester could do so on the page (inbound/receive.ts). */
const repliesAdd = (request: Request, to: Person) => to.id === request.requesterId && isOpen(request.status);

const footer = (replies: boolean) =>
  replies
    ? '\n\n— Message automatique. Vous pouvez répondre à ce courriel : votre réponse sera ajoutée à la demande.'
    : '\n\n— Ce message est envoyé automatiquement ; merci de ne pas y répondre.';

async function applicationName(tx: Tx, id: number): Promise<string> {
  const [row] = await tx.select({ name: applications.name }).from(applications).where(eq(applications.id, id));
  return row?.name ?? '';
}

/** Notifications of a new request: the receipt, and the level-1 agents who asked to hear at once. */
export async function notifyFiled(tx: Tx, request: Request, context: MailContext): Promise<void> {
  const eventKey = `filed:${request.id}`;
  const requester = await personOf(tx, request.requesterId);
  if (requester) await mailUser(tx, context, request, requester, { key: 'receipt', eventKey, values: {} });
  const agents = (await staffOf(tx, request.applicationId, 'agent', ['immediate'])).filter((a) => a.id !== request.createdById);
  await mailAll(tx, context, request, agents, {
    key: 'new_request',
    eventKey,
    values: { demandeur: requester?.name ?? '', bloquant: request.blocking ? 'Bloquant' : 'Non bloquant' },
  });
}

const CLOSED_REASONS: Partial<Record<Action, string>> = {
  accept: 'Vous avez indiqué que la réponse de l’assistance vous convient.',
  auto_close: 'Sans réaction de votre part après la réponse de l’assistance, elle a été clôturée automatiquement.',
  mark_duplicate: 'L’assistance l’a identifiée comme le doublon d’une autre demande, dont le traitement se poursuit.',
};

/** Notifications of a workflow action. */
export async function notifyAction(tx: Tx, change: ActionChange, context: MailContext): Promise<void> {
  const { action, message, actorId } = change;
  // The request as the action left it (assignee, level).
  const [request] = await tx.select().from(requests).where(eq(requests.id, change.request.id));
  if (!request) return;
  const eventKey = `event:${change.eventId}`;
  const toRequester = async (key: TemplateKey, values: Record<string, string>, attachmentIds?: number[]) => {
    const requester = await personOf(tx, request.requesterId);
    if (requester) await mailUser(tx, context, request, requester, { key, eventKey, values, attachmentIds });
  };
  const actorName = async () => (await personOf(tx, actorId))?.name ?? 'L’assistance';
  switch (action) {
    case 'ask_info':
      return toRequester('complement_asked', { message });
    case 'resolve':
      return notifyAnswer(tx, context, request, change);
    case 'accept':
    case 'auto_close':
    case 'mark_duplicate':
      return toRequester('closed', { motif: CLOSED_REASONS[action] ?? '' });
    case 'refuse':
    case 'add_info': {
      const requester = await personOf(tx, request.requesterId);
      const values: Record<string, string> =
        action === 'refuse'
          ? { demandeur: requester?.name ?? '', commentaire: message }
          : { demandeur: requester?.name ?? '', message };
      const key = action === 'refuse' ? 'reopened' : 'info_added';
      return mailAll(tx, context, request, await handlers(tx, request, actorId), { key, eventKey, values });
    }
    case 'reopen': {
      if (actorId !== request.requesterId) return toRequester('reopened_by_desk', { motif: message });
      const requester = await personOf(tx, request.requesterId);
      const values = { demandeur: requester?.name ?? '', motif: message };
      return mailAll(tx, context, request, await handlers(tx, request, actorId), {
        key: 'reopened_by_requester',
        eventKey,
        values,
      });
    }
    case 'escalate': {
      const experts = (await staffOf(tx, request.applicationId, 'expert')).filter((e) => e.id !== actorId);
      return mailAll(tx, context, request, experts, { key: 'escalated', eventKey, values: { par: await actorName() } });
    }
    case 'reassign': {
      if (request.assigneeId === null || request.assigneeId === actorId) return;
      const assignee = await personOf(tx, request.assigneeId);
      if (!assignee) return;
      return mailUser(tx, context, request, assignee, { key: 'assigned', eventKey, values: { par: await actorName() } });
    }
    default:
      return;
  }
}

/** The answer to the requester, with its files; and its copy to the person it was filed for. */
async function notifyAnswer(tx: Tx, context: MailContext, request: Request, change: ActionChange) {
  const files = await tx
    .select({ id: attachments.id, name: attachments.originalName, size: attachments.sizeBytes })
    .from(attachments)
    .where(eq(attachments.eventId, change.eventId))
    .orderBy(attachments.id);
  const names = files.map((f) => f.name).join(', ');
  const fits = files.reduce((total, f) => total + Number(f.size), 0) <= ATTACHMENTS_MAX_BYTES;
  const attachmentIds = files.length && fits ? files.map((f) => f.id) : undefined;
  const documents = !files.length
    ? ''
    : fits
      ? `Documents joints à ce courriel : ${names}.\n\n`
      : `Documents joints à la réponse, à télécharger depuis la page de la demande : ${names}.\n\n`;
  const eventKey = `event:${change.eventId}`;
  const requester = await personOf(tx, request.requesterId);
  if (requester) {
    await mailUser(tx, context, request, requester, {
      key: 'answered',
      eventKey,
      values: { reponse: change.message, documents },
      attachmentIds,
    });
  }
  if (request.onBehalfCopy && request.onBehalfEmail) {
    const copyDocuments =
      files.length && !fits
        ? `Documents joints à la réponse (trop volumineux pour ce courriel ; demandez-les à ${requester?.name ?? 'la personne qui a déposé la demande'}) : ${names}.\n\n`
        : documents;
    await mailOnBehalfCopy(tx, context, request, {
      deposant: requester?.name ?? '',
      reponse: change.message,
      documents: copyDocuments,
      eventKey,
      attachmentIds,
    });
  }
}

/** The copy for someone without an account: the answer only, no portal link, no reply address. */
async function mailOnBehalfCopy(
  tx: Tx,
  context: MailContext,
  request: Request,
  copy: { deposant: string; reponse: string; documents: string; eventKey: string; attachmentIds?: number[] },
) {
  const template = await loadTemplate(tx, 'on_behalf_copy');
  const { subject, body } = renderTemplate(template, {
    numero: String(request.number),
    sujet: request.subject,
    destinataire: request.onBehalfName ?? '',
    deposant: copy.deposant,
    reponse: copy.reponse,
    documents: copy.documents,
  });
  const email = request.onBehalfEmail ?? '';
  await enqueueMail(tx, {
    kind: 'on_behalf_copy',
    to: email,
    subject,
    body: body + footer(false),
    requestId: request.id,
    dedupeKey: `${copy.eventKey}:on_behalf_copy:e${email.toLowerCase()}`,
    attachmentIds: copy.attachmentIds,
    thread: { requestNumber: request.number, domain: mailDomain(context) },
  });
}

/** The reminder sent before a resolved request is closed automatically on `closesOn`. */
export async function notifyAutoCloseReminder(tx: Tx, request: Request, closesOn: Date, context: MailContext): Promise<void> {
  const requester = await personOf(tx, request.requesterId);
  if (!requester) return;
  const day = format(new TZDate(closesOn, 'Europe/Paris'), 'dd/MM/yyyy');
  await mailUser(tx, context, request, requester, {
    key: 'auto_close_reminder',
    eventKey: `reminder:${request.id}:${format(new TZDate(closesOn, 'Europe/Paris'), 'yyyy-MM-dd')}`,
    values: { date_cloture: day },
  });
}
