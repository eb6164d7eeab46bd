import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { type Database, openDatabase } from './db/client.js';
import { DataDirLockedError } from './db/lock.js';
import { migrate } from './db/migrate.js';
import { DEMO_ACCOUNTS, seed } from './db/seed/seed.js';
import { FileStore } from './domain/attachments/store.js';
import { documentStore } from './domain/knowledge/documents-files.js';
import { mailContextOf } from './domain/notifications/request-notifications.js';
import { type InboundChannels, startInbound } from './jobs/inbound-channels.js';
import { OutboxWorker } from './jobs/outbox-worker.js';
import { Scheduler } from './jobs/scheduler.js';
import { prettyLog } from './web/plugins/log.js';

export type Portal = {
  app: FastifyInstance;
  database: Database;
  scheduler: Scheduler | null;
  inbound: InboundChannels;
  url: string;
  stop(): Promise<void>;
};

/** Opens the database, applies migrations and seeds, then serves the portal and runs the jobs. */
export async function startPortal(config: Config, options: { logger?: false | object } = {}): Promise<Portal> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database);
    // Processes starting together on an empty database: one seeds it, the others then find it seeded.
    const seeded = await database.withMigrationLock(() =>
      seed(database.db, {
        demoPassword: config.demoPassword,
        demoRequests: config.env === 'development',
        mail: mailContextOf(config),
      }),
    );
    const app = await buildApp({ config, database, logger: options.logger });
    if (config.production && config.trustedProxies.length === 0) {
      app.log.warn(
        'TRUSTED_PROXIES non défini : les en-têtes X-Forwarded-* sont ignorés ; derrière un répartiteur HTTPS, les cookies Secure ne seront pas posés.',
      );
    }
    if (seeded.demoAccounts) app.log.info('Comptes de démonstration créés.');
    const url = await app.listen({
      port: config.port,
      host: config.host,
      listenTextResolver: (address) => `Guichet d’assistance ouvert sur ${address}`,
    });
    if (config.demoPassword) app.log.info(demoAccountsLine(config));
    const worker = new OutboxWorker(database.db, config, app.log);
    const scheduler = config.runWorker
      ? new Scheduler(
          database.db,
          new FileStore(join(config.dataDir, 'files')),
          worker,
          app.log,
          mailContextOf(config),
          documentStore(config.dataDir),
        )
      : null;
    scheduler?.start(undefined, undefined, config.jobsMaxIntervalMs);
    const inbound = await startInbound(config, { db: database.db, files: app.deps.files, config }, app.log);
    return {
      app,
      database,
      scheduler,
      inbound,
      url,
      async stop() {
        // In-flight requests finish, then the jobs, then the database closes.
        await app.close();
        await inbound.stop();
        await scheduler?.stop();
        await database.close();
      },
    };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

/** The banner's second line: whom to sign in as, outside production. */
function demoAccountsLine(config: Config): string {
  const password = config.demoPasswordIsDefault ? `mot de passe ${config.demoPassword}` : 'mot de passe : DEMO_PASSWORD';
  return `Comptes de démonstration (${password}) : ${DEMO_ACCOUNTS.map((a) => a.login).join(', ')}`;
}

/** The command line's start: `node dist/server.js`, or `npm start` through scripts/start.mjs. */
export async function main() {
  // A .env file in the working folder, when there is one; the process's own environment wins over it.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  let portal: Portal;
  try {
    portal = await startPortal(config, { logger: config.logFormat === 'pretty' ? { stream: await prettyLog() } : {} });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(error.message);
      process.exit(3);
    }
    throw error;
  }
  // A promise nobody awaited that fails is one request's fault: it is logged, the portal stays up.
  process.on('unhandledRejection', (reason) => portal.app.log.error({ err: reason }, 'promesse rejetée sans traitement'));
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    portal.app.log.info({ signal }, 'arrêt en cours');
    await portal.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
