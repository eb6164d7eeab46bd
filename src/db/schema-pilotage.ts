/**
 * Typed view of the « Pilotage » tables: a row of facts per request and the spans of its statuses,
 * both recomputed from the request's history by the pilotage worker.
 */
import { boolean, integer, pgTable, smallint, text } from 'drizzle-orm/pg-core';
import type { RequestStatus } from '../domain/vocabulary.js';
import { id64, tz } from './columns.js';

/** How a request came in, as Pilotage counts it: « pour le compte de » apart from the portal. */
export type FactChannel = 'portail' | 'telephone' | 'courriel' | 'api' | 'on_behalf';

export const requestFacts = pgTable('request_facts', {
  requestId: id64('request_id').primaryKey(),
  applicationId: integer('application_id').notNull(),
  themeId: integer('theme_id'),
  problemTypeId: integer('problem_type_id'),
  blocking: boolean('blocking').notNull(),
  regionId: integer('region_id'),
  natureId: integer('nature_id'),
  level: smallint('level').$type<1 | 2>().notNull(),
  channel: text('channel').$type<FactChannel>().notNull(),
  status: text('status').$type<RequestStatus>().notNull(),
  filedAt: tz('filed_at').notNull(),
  firstResponseAt: tz('first_response_at'),
  firstResponseMinutes: integer('first_response_minutes'),
  firstResponseOnTime: boolean('first_response_on_time'),
  /** The request's due dates and pause, copied so that « late » and « soon late » read the facts alone. */
  firstResponseDueAt: tz('first_response_due_at'),
  resolutionDueAt: tz('resolution_due_at'),
  slaPausedAt: tz('sla_paused_at'),
  resolvedAt: tz('resolved_at'),
  resolutionMinutes: integer('resolution_minutes'),
  resolutionOnTime: boolean('resolution_on_time'),
  closedAt: tz('closed_at'),
  escalated: boolean('escalated').notNull().default(false),
  sentBack: boolean('sent_back').notNull().default(false),
  complement: boolean('complement').notNull().default(false),
  refusals: smallint('refusals').notNull().default(0),
  autoClosed: boolean('auto_closed').notNull().default(false),
  reopened: boolean('reopened').notNull().default(false),
  satisfaction: smallint('satisfaction'),
  satisfactionAt: tz('satisfaction_at'),
  /** The satisfaction answer has a comment (read from the request, for the latest ones only). */
  commented: boolean('commented').notNull().default(false),
  assigneeId: integer('assignee_id'),
  computedAt: tz('computed_at').notNull().defaultNow(),
});

/** The span itself (a tstzrange) is written and read in SQL. */
export const requestStatusSpans = pgTable('request_status_spans', {
  requestId: id64('request_id').notNull(),
  applicationId: integer('application_id').notNull(),
  status: text('status').$type<RequestStatus>().notNull(),
});

export const requestFactsPending = pgTable('request_facts_pending', {
  requestId: id64('request_id').primaryKey(),
});
