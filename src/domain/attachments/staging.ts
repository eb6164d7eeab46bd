/**
 * Files sent with a form wait, staged under the form's token, until the form is accepted;
 * a refused form shows them again so nobody has to choose them twice.
 */
import { and, eq, inArray, isNull, lt, notInArray, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/client.js';
import { attachments } from '../../db/schema.js';
import type { StoredFile } from './store.js';

export const FORM_TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

export type StagedFile = { id: number; name: string; sizeBytes: number };

export async function stageFiles(tx: Tx, uploadedBy: number, token: string, files: StoredFile[]) {
  if (files.length === 0) return;
  await tx.insert(attachments).values(files.map((f) => ({ ...f, stagingToken: token, uploadedBy })));
}

export async function listStaged(db: Executor, uploadedBy: number, token: string): Promise<StagedFile[]> {
  return db
    .select({ id: attachments.id, name: attachments.originalName, sizeBytes: attachments.sizeBytes })
    .from(attachments)
    .where(and(eq(attachments.stagingToken, token), eq(attachments.uploadedBy, uploadedBy), isNull(attachments.requestId)))
    .orderBy(attachments.id);
}

/** Removes staged files the person unticked; returns storage keys to delete once committed. */
export async function dropUnkept(tx: Tx, uploadedBy: number, token: string, keepIds: number[]): Promise<string[]> {
  const rows = await tx
    .delete(attachments)
    .where(
      and(
        eq(attachments.stagingToken, token),
        eq(attachments.uploadedBy, uploadedBy),
        isNull(attachments.requestId),
        keepIds.length ? notInArray(attachments.id, keepIds) : undefined,
      ),
    )
    .returning({ key: attachments.storageKey });
  return rows.map((r) => r.key);
}

/**
 * A form sent again keeps its staged files alive: their time is the form's last sending, from
 * which abandonment is counted.
 */
export async function touchStaged(tx: Tx, uploadedBy: number, token: string) {
  await tx
    .update(attachments)
    .set({ createdAt: sql`now()` })
    .where(and(eq(attachments.stagingToken, token), eq(attachments.uploadedBy, uploadedBy), isNull(attachments.requestId)));
}

/** Bytes of the person's staged files, all forms together (their allowance is counted on it). */
export async function stagedBytes(db: Executor, uploadedBy: number): Promise<number> {
  const [row] = await db
    .select({ bytes: sql<string>`coalesce(sum(${attachments.sizeBytes}), 0)` })
    .from(attachments)
    .where(and(eq(attachments.uploadedBy, uploadedBy), isNull(attachments.requestId)));
  return Number(row?.bytes ?? 0);
}

/** A form not sent again for two hours is abandoned (the session's idle limit is half an hour). */
export async function purgeAbandoned(tx: Tx): Promise<string[]> {
  const rows = await tx
    .delete(attachments)
    .where(and(isNull(attachments.requestId), lt(attachments.createdAt, sql`now() - interval '2 hours'`)))
    .returning({ key: attachments.storageKey });
  return rows.map((r) => r.key);
}

/** At logout every form the person left unsent is abandoned. */
export async function purgeStagedOf(tx: Tx, uploadedBy: number): Promise<string[]> {
  const rows = await tx
    .delete(attachments)
    .where(and(eq(attachments.uploadedBy, uploadedBy), isNull(attachments.requestId)))
    .returning({ key: attachments.storageKey });
  return rows.map((r) => r.key);
}

/** Which of these storage keys a row names (the others are orphans). */
export async function knownKeys(db: Executor, keys: string[]): Promise<Set<string>> {
  const rows = await db.select({ key: attachments.storageKey }).from(attachments).where(inArray(attachments.storageKey, keys));
  return new Set(rows.map((r) => r.key));
}
