import type { Db } from '../db/client.js';
import { processPasswordResets } from '../domain/accounts/password-reset.js';
import type { FileStore } from '../domain/attachments/store.js';
import type { MailContext } from '../domain/notifications/request-notifications.js';
import { refreshAllFacts } from '../domain/pilotage/refresh.js';
import { runAutoClose } from './auto-close.js';
import { sendDigests } from './digest.js';
import { runDocumentText, sweepDocumentFiles } from './document-text.js';
import { runMaintenance } from './maintenance.js';
import type { OutboxWorker } from './outbox-worker.js';
import { sendPilotageSummaries } from './pilotage-summary.js';

type Log = { error: (o: object, m: string) => void };

/** Runs the jobs in the background of the portal process; stop() waits for the current run. */
export class Scheduler {
  private timers: NodeJS.Timeout[] = [];
  private readonly inflight = new Set<Promise<unknown>>();
  private stopped = false;
  private maxIntervalMs = Number.POSITIVE_INFINITY;

  constructor(
    private readonly db: Db,
    private readonly files: FileStore,
    private readonly outbox: OutboxWorker,
    private readonly log: Log,
    private readonly mail: MailContext,
    /** The documents' files (« Base documentaire »): their PDF text and their housekeeping. */
    private readonly documents?: FileStore,
  ) {}

  /** `maxIntervalMs` shortens every longer interval to it (JOBS_MAX_INTERVAL_S). */
  start(outboxEveryMs = 2000, maintenanceEveryMs = 10 * 60 * 1000, maxIntervalMs = Number.POSITIVE_INFINITY) {
    this.maxIntervalMs = maxIntervalMs;
    // Password reset requests turn into e-mails first, then the outbox delivers them.
    this.every(
      outboxEveryMs,
      () => processPasswordResets(this.db, this.mail.publicUrl).then(() => this.outbox.runOnce()),
      'outbox',
    );
    this.every(maintenanceEveryMs, () => runMaintenance(this.db, this.files), 'maintenance');
    this.every(15 * 60 * 1000, () => sendDigests(this.db, this.mail), 'digest');
    this.every(15 * 60 * 1000, () => sendPilotageSummaries(this.db, this.mail), 'pilotage-summary');
    this.every(5 * 60 * 1000, () => runAutoClose(this.db, this.mail), 'auto-close');
    // The figures of « Pilotage » follow each request's history within seconds.
    this.every(10 * 1000, () => refreshAllFacts(this.db), 'pilotage-facts');
    const documents = this.documents;
    if (documents) {
      this.every(30 * 1000, () => runDocumentText(this.db, documents), 'document-text');
      this.every(maintenanceEveryMs, () => sweepDocumentFiles(this.db, documents), 'document-files');
    }
  }

  private every(ms: number, job: () => Promise<unknown>, name: string) {
    let busy = false;
    const period = Math.min(ms, this.maxIntervalMs);
    const timer = setInterval(() => {
      if (busy || this.stopped) return;
      busy = true;
      const run = job()
        .catch((error) => this.log.error({ err: error, job: name }, 'job failed'))
        .finally(() => {
          busy = false;
          this.inflight.delete(run);
        });
      this.inflight.add(run);
    }, period);
    timer.unref();
    this.timers.push(timer);
  }

  async stop() {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await Promise.all(this.inflight);
  }
}
