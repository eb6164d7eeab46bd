/**
 * Reads of requests, already filtered by what the actor may see.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import {
  applications,
  attachments,
  problemTypes,
  requestEvents,
  requestLinks,
  requests,
  structureNatures,
  structures,
  structureTypes,
  themes,
  users,
} from '../../db/schema.js';
import { isStaff, isStaffRole } from '../access.js';
import { displayName } from '../accounts/actors.js';
import type { Actor } from '../actor.js';
import { type RequestResources, resourcesOf } from '../knowledge/resources.js';
import { getSettings } from '../settings/settings.js';
import type { Action, Channel, EventKind, RequestStatus } from '../vocabulary.js';
import { actionsFor, canSee, type Sharing, visibleTo } from './policy.js';
import { type ServiceLevelView, serviceLevelView } from './service-level.js';

export type FileView = { id: number; name: string; mediaType: string; sizeBytes: number };

export type EventView = {
  id: number;
  kind: EventKind;
  actorName: string;
  actorStructure: string | null;
  actorIsStaff: boolean;
  at: Date;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus | null;
  body: string | null;
  internal: boolean;
  files: FileView[];
};

export type RequestView = {
  id: number;
  number: number;
  subject: string;
  description: string;
  blocking: boolean;
  status: RequestStatus;
  level: 1 | 2;
  version: number;
  applicationId: number;
  applicationName: string;
  themeName: string | null;
  problemTypeName: string | null;
  businessReference: string | null;
  createdAt: Date;
  updatedAt: Date;
  requesterId: number;
  requesterName: string;
  /** Who filed it: the requester, or the desk for a caller. */
  createdById: number;
  channel: Channel;
  /** « Pour le compte de »: the local-unit agent a regional user filed for. */
  onBehalf: { name: string; email: string; copy: boolean } | null;
  structureName: string | null;
  natureName: string | null;
  typeName: string | null;
  assigneeId: number | null;
  assigneeName: string | null;
  files: FileView[];
  events: EventView[];
  latestAnswer: EventView | null;
  /** While « En attente de complément »: the desk's question the requester is to answer. */
  openQuestion: EventView | null;
  faq: RequestResources['faq'];
  documents: RequestResources['documents'];
  /** The FAQ entry drafted from this request (staff only). */
  faqDraft: RequestResources['faqDraft'];
  linked: { number: number; subject: string; status: RequestStatus }[];
  /** Closed as a duplicate: the original's number, or null when the viewer may not see the original. */
  duplicateOf: { number: number | null } | null;
  actions: Action[];
  /** Closed: until when its requester may reopen it (null: only the desk may). */
  reopenableUntil: Date | null;
  /** The requester's answer to the satisfaction survey, once given. */
  satisfaction: { rating: number; comment: string | null; at: Date } | null;
  /** Due dates and where they stand (staff only). */
  serviceLevel?: ServiceLevelView;
};

const assignee = alias(users, 'assignee');
const requester = alias(users, 'requester');

/** The request as `actor` may see it, or null (absent and forbidden look the same). */
export async function getRequestView(db: Executor, actor: Actor, number: number): Promise<RequestView | null> {
  const [row] = await db
    .select({
      r: requests,
      applicationName: applications.name,
      themeName: themes.name,
      problemTypeName: problemTypes.name,
      structureName: structures.name,
      natureName: structureNatures.name,
      typeName: structureTypes.name,
      requester: { firstName: requester.firstName, lastName: requester.lastName },
      assignee: { firstName: assignee.firstName, lastName: assignee.lastName },
    })
    .from(requests)
    .innerJoin(applications, eq(applications.id, requests.applicationId))
    .innerJoin(requester, eq(requester.id, requests.requesterId))
    .leftJoin(themes, eq(themes.id, requests.themeId))
    .leftJoin(problemTypes, eq(problemTypes.id, requests.problemTypeId))
    .leftJoin(structures, eq(structures.id, requests.structureId))
    .leftJoin(structureNatures, eq(structureNatures.id, structures.natureId))
    .leftJoin(structureTypes, eq(structureTypes.id, structures.typeId))
    .leftJoin(assignee, eq(assignee.id, requests.assigneeId))
    .where(eq(requests.number, number));
  const sharing = await getSettings(db);
  if (!row || !canSee(actor, row.r, sharing)) return null;
  const r = row.r;
  const seeInternal = isStaff(actor);
  const [events, files, resources, linked] = await Promise.all([
    loadEvents(db, r.id, seeInternal),
    loadFiles(db, r.id, seeInternal),
    resourcesOf(db, actor, r.id),
    linkedRequests(db, actor, r.id, sharing),
  ]);
  const eventViews = events.map((e) => ({ ...e, files: files.filter((f) => f.eventId === e.id).map(toFileView) }));
  const created = eventViews.find((e) => e.kind === 'created');
  return {
    id: r.id,
    number: r.number,
    subject: r.subject,
    description: r.description,
    blocking: r.blocking,
    status: r.status,
    level: r.level,
    version: r.version,
    applicationId: r.applicationId,
    applicationName: row.applicationName,
    themeName: row.themeName,
    problemTypeName: row.problemTypeName,
    businessReference: r.businessReference,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    requesterId: r.requesterId,
    requesterName: displayName(row.requester),
    createdById: r.createdById,
    channel: r.channel,
    onBehalf: r.onBehalfName && r.onBehalfEmail ? { name: r.onBehalfName, email: r.onBehalfEmail, copy: r.onBehalfCopy } : null,
    structureName: row.structureName,
    natureName: row.natureName,
    typeName: row.typeName,
    assigneeId: r.assigneeId,
    assigneeName: row.assignee ? displayName(row.assignee) : null,
    files: created?.files ?? [],
    events: eventViews,
    latestAnswer:
      r.status === 'resolved' || r.status === 'closed' ? (eventViews.findLast((e) => e.kind === 'resolve') ?? null) : null,
    openQuestion: r.status === 'awaiting_info' ? (eventViews.findLast((e) => e.kind === 'ask_info') ?? null) : null,
    faq: resources.faq,
    documents: resources.documents,
    faqDraft: resources.faqDraft,
    linked,
    duplicateOf: r.duplicateOfId === null ? null : await duplicateOf(db, actor, r.duplicateOfId, sharing),
    actions: actionsFor(actor, r, sharing),
    reopenableUntil: r.reopenableUntil,
    satisfaction:
      r.satisfaction !== null && r.satisfactionAt
        ? { rating: r.satisfaction, comment: r.satisfactionComment, at: r.satisfactionAt }
        : null,
    serviceLevel: seeInternal ? serviceLevelView(r, sharing) : undefined,
  };
}

/** Requests linked to `requestId` that `actor` may see: one query, the pair being stored either way round. */
function linkedRequests(db: Executor, actor: Actor, requestId: number, sharing: Sharing) {
  const other = sql`case when ${requestLinks.requestId} = ${requestId} then ${requestLinks.linkedRequestId} else ${requestLinks.requestId} end`;
  return db
    .select({ number: requests.number, subject: requests.subject, status: requests.status })
    .from(requestLinks)
    .innerJoin(requests, sql`${requests.id} = ${other}`)
    .where(
      and(
        sql`(${requestLinks.requestId} = ${requestId} or ${requestLinks.linkedRequestId} = ${requestId})`,
        visibleTo(actor, false, sharing),
      ),
    )
    .orderBy(asc(requests.number));
}

async function duplicateOf(db: Executor, actor: Actor, originalId: number, sharing: Sharing) {
  const [original] = await db
    .select({ number: requests.number })
    .from(requests)
    .where(and(eq(requests.id, originalId), visibleTo(actor, false, sharing)));
  return { number: original?.number ?? null };
}

async function loadEvents(db: Executor, requestId: number, seeInternal: boolean) {
  const rows = await db
    .select({
      e: requestEvents,
      firstName: users.firstName,
      lastName: users.lastName,
      role: users.role,
      structureName: structures.name,
    })
    .from(requestEvents)
    .leftJoin(users, eq(users.id, requestEvents.actorId))
    .leftJoin(structures, eq(structures.id, users.structureId))
    .where(and(eq(requestEvents.requestId, requestId), seeInternal ? undefined : eq(requestEvents.internal, false)))
    .orderBy(asc(requestEvents.id));
  return rows.map(({ e, ...u }) => ({
    id: e.id,
    kind: e.kind,
    actorName: u.firstName && u.lastName ? displayName({ firstName: u.firstName, lastName: u.lastName }) : 'le système',
    actorStructure: u.role === 'requester' ? u.structureName : null,
    actorIsStaff: u.role === null || isStaffRole(u.role),
    at: e.createdAt,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    body: e.body,
    internal: e.internal,
  }));
}

async function loadFiles(db: Executor, requestId: number, seeInternal: boolean) {
  return db
    .select({
      id: attachments.id,
      eventId: attachments.eventId,
      originalName: attachments.originalName,
      mediaType: attachments.mediaType,
      sizeBytes: attachments.sizeBytes,
    })
    .from(attachments)
    .leftJoin(requestEvents, eq(requestEvents.id, attachments.eventId))
    .where(
      and(
        eq(attachments.requestId, requestId),
        seeInternal ? undefined : sql`coalesce(${requestEvents.internal}, false) = false`,
      ),
    )
    .orderBy(asc(attachments.id));
}

const toFileView = (f: { id: number; originalName: string; mediaType: string; sizeBytes: number }): FileView => ({
  id: f.id,
  name: f.originalName,
  mediaType: f.mediaType,
  sizeBytes: f.sizeBytes,
});

/** An attachment `actor` may download, or null (same answer for absent and forbidden). */
export async function findDownload(db: Executor, actor: Actor, attachmentId: number) {
  const [row] = await db
    .select({ a: attachments, r: requests, internal: requestEvents.internal })
    .from(attachments)
    .innerJoin(requests, eq(requests.id, attachments.requestId))
    .leftJoin(requestEvents, eq(requestEvents.id, attachments.eventId))
    .where(eq(attachments.id, attachmentId));
  if (!row || !canSee(actor, row.r, await getSettings(db))) return null;
  if (row.internal && !isStaff(actor)) return null;
  return row.a;
}

/** The actions `actor` may take now on request `number`, or null when they may not see it (as if absent). */
export async function actionsOn(db: Executor, actor: Actor, number: number): Promise<Action[] | null> {
  const [request] = await db.select().from(requests).where(eq(requests.number, number));
  const sharing = await getSettings(db);
  return request && canSee(actor, request, sharing) ? actionsFor(actor, request, sharing) : null;
}
