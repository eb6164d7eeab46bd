import type { Config } from '../../config.js';
import type { Database, Db } from '../../db/client.js';
import type { Actor } from '../../domain/actor.js';
import type { FileStore } from '../../domain/attachments/store.js';
import type { SessionData } from './session-store.js';

/** What routes reach through `app.deps`. */
export type Deps = {
  config: Config;
  database: Database;
  db: Db;
  files: FileStore;
};

declare module 'fastify' {
  interface FastifyInstance {
    deps: Deps;
    /** « METHOD /path » of every route registered (HEAD ones included). */
    routeTable: string[];
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface Session extends SessionData {}
}
