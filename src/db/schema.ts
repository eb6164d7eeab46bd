/**
 * Typed view of the tables created by the SQL migrations (migrations/*.sql are the source of truth).
 */

import { sql } from 'drizzle-orm';
import { bigserial, boolean, date, integer, jsonb, pgTable, primaryKey, serial, smallint, text } from 'drizzle-orm/pg-core';
import type { Channel, EventKind, NotifyMode, RequestStatus, Role } from '../domain/vocabulary.js';
import { id64, tz } from './columns.js';

export const regions = pgTable('regions', {
  id: serial('id').primaryKey(),
  code: text('code').notNull(),
  name: text('name').notNull(),
});

export const structureNatures = pgTable('structure_natures', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  position: integer('position').notNull().default(0),
});

export const structureTypes = pgTable('structure_types', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  position: integer('position').notNull().default(0),
});

export const structures = pgTable('structures', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  regionId: integer('region_id').notNull(),
  natureId: integer('nature_id'),
  typeId: integer('type_id'),
});

export const applications = pgTable('applications', {
  id: serial('id').primaryKey(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  position: integer('position').notNull().default(0),
  active: boolean('active').notNull().default(true),
  openedOn: date('opened_on', { mode: 'string' }),
});

export const themes = pgTable('themes', {
  id: serial('id').primaryKey(),
  applicationId: integer('application_id').notNull(),
  name: text('name').notNull(),
  position: integer('position').notNull().default(0),
  active: boolean('active').notNull().default(true),
});

export const problemTypes = pgTable('problem_types', {
  id: serial('id').primaryKey(),
  parentId: integer('parent_id'),
  name: text('name').notNull(),
  position: integer('position').notNull().default(0),
  active: boolean('active').notNull().default(true),
});

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  login: text('login').notNull(),
  email: text('email').notNull(),
  civility: text('civility'),
  firstName: text('first_name').notNull(),
  lastName: text('last_name').notNull(),
  phone: text('phone'),
  role: text('role').$type<Role>().notNull(),
  requesterKind: text('requester_kind').$type<'centre' | 'direccte'>(),
  structureId: integer('structure_id'),
  passwordHash: text('password_hash'),
  active: boolean('active').notNull().default(true),
  createdAt: tz('created_at').notNull().defaultNow(),
  lastLoginAt: tz('last_login_at'),
  totpSecret: text('totp_secret'),
  totpEnabledAt: tz('totp_enabled_at'),
  totpLastStep: id64('totp_last_step'),
  activatedAt: tz('activated_at').defaultNow(),
  notifyNewRequests: text('notify_new_requests').$type<NotifyMode>().notNull().default('immediate'),
  digestSentAt: tz('digest_sent_at'),
  knowledgeEditor: boolean('knowledge_editor').notNull().default(false),
  deskLead: boolean('desk_lead').notNull().default(false),
  pilotageSummary: boolean('pilotage_summary').notNull().default(false),
  pilotageSummarySentAt: tz('pilotage_summary_sent_at'),
});

export const userApplications = pgTable('user_applications', {
  userId: integer('user_id').notNull(),
  applicationId: integer('application_id').notNull(),
});

export const requests = pgTable('requests', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  number: id64('number').notNull().default(sql`nextval('request_number_seq')`),
  subject: text('subject').notNull(),
  description: text('description').notNull(),
  blocking: boolean('blocking').notNull().default(false),
  applicationId: integer('application_id').notNull(),
  themeId: integer('theme_id'),
  problemTypeId: integer('problem_type_id'),
  businessReference: text('business_reference'),
  status: text('status').$type<RequestStatus>().notNull().default('new'),
  level: smallint('level').$type<1 | 2>().notNull().default(1),
  assigneeId: integer('assignee_id'),
  requesterId: integer('requester_id').notNull(),
  createdById: integer('created_by_id').notNull(),
  structureId: integer('structure_id'),
  channel: text('channel').$type<Channel>().notNull().default('portail'),
  submissionToken: text('submission_token'),
  version: integer('version').notNull().default(1),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
  onBehalfName: text('on_behalf_name'),
  onBehalfEmail: text('on_behalf_email'),
  onBehalfCopy: boolean('on_behalf_copy').notNull().default(false),
  firstResponseDueAt: tz('first_response_due_at'),
  resolutionDueAt: tz('resolution_due_at'),
  firstResponseAt: tz('first_response_at'),
  slaPausedAt: tz('sla_paused_at'),
  resolvedAt: tz('resolved_at'),
  autoCloseRemindedAt: tz('auto_close_reminded_at'),
  duplicateOfId: id64('duplicate_of_id'),
  satisfaction: smallint('satisfaction'),
  satisfactionComment: text('satisfaction_comment'),
  satisfactionAt: tz('satisfaction_at'),
  /** The requester's last complement or refused answer (the desk's « informations ajoutées »). */
  requesterActivityAt: tz('requester_activity_at'),
  /** Until when the requester may reopen it (set when it closes). */
  reopenableUntil: tz('reopenable_until'),
});

export const requestEvents = pgTable('request_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  requestId: id64('request_id').notNull(),
  actorId: integer('actor_id'),
  kind: text('kind').$type<EventKind>().notNull(),
  fromStatus: text('from_status').$type<RequestStatus>(),
  toStatus: text('to_status').$type<RequestStatus>(),
  body: text('body'),
  internal: boolean('internal').notNull().default(false),
  submissionToken: text('submission_token'),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const attachments = pgTable('attachments', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  requestId: id64('request_id'),
  eventId: id64('event_id'),
  stagingToken: text('staging_token'),
  storageKey: text('storage_key').notNull(),
  originalName: text('original_name').notNull(),
  mediaType: text('media_type').notNull(),
  sizeBytes: id64('size_bytes').notNull(),
  sha256: text('sha256').notNull(),
  uploadedBy: integer('uploaded_by').notNull(),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const sessions = pgTable('sessions', {
  sid: text('sid').primaryKey(),
  userId: integer('user_id'),
  data: jsonb('data').notNull(),
  expiresAt: tz('expires_at').notNull(),
});

export const outbox = pgTable('outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  requestId: id64('request_id'),
  kind: text('kind').notNull(),
  toAddress: text('to_address').notNull(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  status: text('status').$type<'pending' | 'sent' | 'failed' | 'kept'>().notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: tz('next_attempt_at').notNull().defaultNow(),
  lastError: text('last_error'),
  messageId: text('message_id'),
  createdAt: tz('created_at').notNull().defaultNow(),
  sentAt: tz('sent_at'),
  dedupeKey: text('dedupe_key'),
  recipientId: integer('recipient_id'),
  replyTo: text('reply_to'),
  headers: jsonb('headers').$type<Record<string, string>>(),
  attachmentIds: jsonb('attachment_ids').$type<number[]>(),
});

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
  updatedBy: integer('updated_by'),
});

export const requestLinks = pgTable('request_links', {
  requestId: id64('request_id').notNull(),
  linkedRequestId: id64('linked_request_id').notNull(),
  createdBy: integer('created_by'),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  blockedUntil: tz('blocked_until'),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});

export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: tz('at').notNull().defaultNow(),
  actorId: integer('actor_id'),
  action: text('action').notNull(),
  target: text('target'),
  ip: text('ip'),
  details: jsonb('details').notNull().default({}),
});

export const accountRequests = pgTable('account_requests', {
  id: serial('id').primaryKey(),
  login: text('login').notNull(),
  civility: text('civility').$type<'M.' | 'Mme'>().notNull(),
  firstName: text('first_name').notNull(),
  lastName: text('last_name').notNull(),
  email: text('email').notNull(),
  phone: text('phone').notNull(),
  applicationIds: integer('application_ids').array().notNull(),
  regionId: integer('region_id').notNull(),
  structureName: text('structure_name').notNull(),
  natureId: integer('nature_id').notNull(),
  typeId: integer('type_id').notNull(),
  passwordHash: text('password_hash').notNull(),
  status: text('status').$type<'pending' | 'approved' | 'refused'>().notNull().default('pending'),
  refusalReason: text('refusal_reason'),
  decidedBy: integer('decided_by'),
  decidedAt: tz('decided_at'),
  userId: integer('user_id'),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const userTokens = pgTable('user_tokens', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  userId: integer('user_id').notNull(),
  purpose: text('purpose').$type<'activation' | 'password_reset' | 'email_change' | 'invitation'>().notNull(),
  tokenHash: text('token_hash').notNull(),
  newEmail: text('new_email'),
  expiresAt: tz('expires_at').notNull(),
  usedAt: tz('used_at'),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const recoveryCodes = pgTable('recovery_codes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  userId: integer('user_id').notNull(),
  codeHash: text('code_hash').notNull(),
  usedAt: tz('used_at'),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const passwordResetRequests = pgTable('password_reset_requests', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  identifier: text('identifier').notNull(),
  ip: text('ip'),
  createdAt: tz('created_at').notNull().defaultNow(),
  processedAt: tz('processed_at'),
});

export const notificationTemplates = pgTable('notification_templates', {
  key: text('key').primaryKey(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
  updatedBy: integer('updated_by'),
});

export const inboundMessages = pgTable('inbound_messages', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  messageId: text('message_id').notNull(),
  fromAddress: text('from_address'),
  subject: text('subject'),
  channel: text('channel').$type<'smtp' | 'imap'>().notNull(),
  outcome: text('outcome').$type<'added' | 'refused' | 'ignored'>().notNull(),
  reason: text('reason'),
  requestId: id64('request_id'),
  eventId: id64('event_id'),
  receivedAt: tz('received_at').notNull().defaultNow(),
});

export const cannedAnswers = pgTable('canned_answers', {
  id: serial('id').primaryKey(),
  applicationId: integer('application_id'),
  title: text('title').notNull(),
  body: text('body').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});

/** When a staff member last opened a request's page. */
export const requestReads = pgTable(
  'request_reads',
  {
    userId: integer('user_id').notNull(),
    requestId: id64('request_id').notNull(),
    readAt: tz('read_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.requestId] })],
);

/** A person's saved view of the desk's queue: its path and query string. */
export const deskViews = pgTable('desk_views', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull(),
  name: text('name').notNull(),
  path: text('path').notNull(),
  query: text('query').notNull(),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export * from './schema-knowledge.js';
export * from './schema-pilotage.js';
