/**
 * The person's rights over their data: open sessions, export, deletion request.
 */
import { and, asc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import { type Db, type Executor, transaction } from '../../db/client.js';
import { applications, attachments, regions, requestEvents, requests, sessions, structures, users } from '../../db/schema.js';
import { audit } from '../audit/audit.js';
import { enqueueMail } from '../notifications/outbox.js';
import { displayName } from './actors.js';
import { accountMail, type ChangeContext, getProfile, ownRow } from './profile.js';

export type SessionInfo = { startedAt: Date | null; seenAt: Date | null; expiresAt: Date; remembered: boolean; current: boolean };

/** The person's open sessions, this one first; session ids never leave this function. */
export async function listSessions(db: Executor, userId: number, currentSid: string): Promise<SessionInfo[]> {
  const rows = await db
    .select({ sid: sessions.sid, data: sessions.data, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), sql`${sessions.expiresAt} > now()`));
  const at = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? new Date(v) : null);
  return rows
    .map((r) => {
      const data = (r.data ?? {}) as { startedAt?: unknown; seenAt?: unknown; remember?: unknown };
      return {
        startedAt: at(data.startedAt),
        seenAt: at(data.seenAt),
        expiresAt: r.expiresAt,
        remembered: data.remember === true,
        current: r.sid === currentSid,
      };
    })
    .sort((a, b) => Number(b.current) - Number(a.current) || (b.seenAt?.getTime() ?? 0) - (a.seenAt?.getTime() ?? 0));
}

/** « Fermer les autres sessions »: every session of the person but `keepSid` ends now. */
export async function closeOtherSessions(db: Db, userId: number, keepSid: string, ctx: ChangeContext) {
  return transaction(db, async (tx) => {
    const ended = await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, userId), ne(sessions.sid, keepSid)))
      .returning({ sid: sessions.sid });
    await audit(tx, {
      action: 'account.sessions_closed',
      actorId: userId,
      target: `user:${userId}`,
      ip: ctx.ip,
      details: { ended: ended.length },
    });
    return ended.length;
  });
}

/**
 * Everything the portal holds about the person (RGPD, right of access): profile, applications,
 * structure, and the requests they filed or that were filed for them, with the history they
 * can see. Internal notes and their files are left out whatever the person's role.
 */
export async function exportData(db: Executor, userId: number) {
  const profile = await getProfile(db, userId);
  if (!profile) return null;
  const [structure] = await db
    .select({ name: structures.name, region: regions.name })
    .from(users)
    .innerJoin(structures, eq(structures.id, users.structureId))
    .leftJoin(regions, eq(regions.id, structures.regionId))
    .where(eq(users.id, userId));
  const own = await db
    .select({ r: requests, application: applications.name })
    .from(requests)
    .leftJoin(applications, eq(applications.id, requests.applicationId))
    .where(or(eq(requests.requesterId, userId), eq(requests.createdById, userId)))
    .orderBy(asc(requests.id));
  const ids = own.map((o) => o.r.id);
  const events = ids.length
    ? await db
        .select({
          id: requestEvents.id,
          requestId: requestEvents.requestId,
          kind: requestEvents.kind,
          fromStatus: requestEvents.fromStatus,
          toStatus: requestEvents.toStatus,
          body: requestEvents.body,
          createdAt: requestEvents.createdAt,
        })
        .from(requestEvents)
        .where(and(inArray(requestEvents.requestId, ids), eq(requestEvents.internal, false)))
        .orderBy(asc(requestEvents.id))
    : [];
  const files = ids.length
    ? await db
        .select({
          requestId: attachments.requestId,
          eventId: attachments.eventId,
          name: attachments.originalName,
          mediaType: attachments.mediaType,
          sizeBytes: attachments.sizeBytes,
          createdAt: attachments.createdAt,
        })
        .from(attachments)
        .leftJoin(requestEvents, eq(requestEvents.id, attachments.eventId))
        .where(and(inArray(attachments.requestId, ids), sql`coalesce(${requestEvents.internal}, false) = false`))
        .orderBy(asc(attachments.id))
    : [];
  return {
    exportedAt: new Date().toISOString(),
    profile: {
      login: profile.login,
      email: profile.email,
      civility: profile.civility,
      firstName: profile.firstName,
      lastName: profile.lastName,
      phone: profile.phone,
      role: profile.role,
      requesterKind: profile.requesterKind,
      createdAt: profile.createdAt.toISOString(),
      lastLoginAt: profile.lastLoginAt?.toISOString() ?? null,
    },
    applications: profile.applicationNames,
    structure: structure ? { name: structure.name, region: structure.region } : null,
    requests: own.map(({ r, application }) => ({
      number: r.number,
      subject: r.subject,
      description: r.description,
      application,
      blocking: r.blocking,
      businessReference: r.businessReference,
      status: r.status,
      channel: r.channel,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      history: events
        .filter((e) => e.requestId === r.id)
        .map((e) => ({
          kind: e.kind,
          fromStatus: e.fromStatus,
          toStatus: e.toStatus,
          body: e.body,
          at: e.createdAt.toISOString(),
          files: files
            .filter((f) => f.eventId === e.id)
            .map((f) => ({ name: f.name, mediaType: f.mediaType, sizeBytes: f.sizeBytes })),
        })),
    })),
  };
}

/**
 * « Demander la suppression de mon compte »: recorded in the audit trail and sent to the
 * administrators, who disable the account (requests stay, as the service's records).
 */
export async function requestDeletion(db: Db, userId: number, ctx: ChangeContext) {
  await transaction(db, async (tx) => {
    const user = await ownRow(tx, userId);
    const admins = await tx
      .select({ email: users.email, firstName: users.firstName, lastName: users.lastName })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.active, true)));
    for (const admin of admins) {
      await enqueueMail(
        tx,
        await accountMail(
          tx,
          'account_deletion_requested',
          admin.email,
          displayName(admin),
          `Demande de suppression du compte « ${user.login} »`,
          [
            `${displayName(user)} (identifiant « ${user.login} », ${user.email}) demande la suppression de son compte.`,
            'Après vérification, désactivez le compte depuis la page de l’utilisateur dans l’administration.',
          ],
          { label: 'Page de l’utilisateur', url: `${ctx.publicUrl}/admin/utilisateurs/${user.id}` },
        ),
      );
    }
    await audit(tx, {
      action: 'account.deletion_requested',
      actorId: userId,
      target: `user:${userId}`,
      ip: ctx.ip,
      details: { notified: admins.length },
    });
  });
}
