import type { Executor } from '../../db/client.js';
import { auditLog } from '../../db/schema.js';

export type AuditEntry = {
  action: string;
  actorId?: number | null;
  target?: string;
  ip?: string;
  details?: Record<string, unknown>;
};

/** Appends to the audit trail (the table refuses updates and deletes). Never put secrets in details. */
export async function audit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    action: entry.action,
    actorId: entry.actorId ?? null,
    target: entry.target ?? null,
    ip: entry.ip ?? null,
    details: entry.details ?? {},
  });
}
