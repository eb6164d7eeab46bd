import { join } from 'node:path';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { FileStore } from './domain/attachments/store.js';
import { accessRoutes } from './web/account/access-routes.js';
import { authRoutes } from './web/account/login-routes.js';
import { myAccountRoutes } from './web/account/my-account-routes.js';
import { proconnectRoutes } from './web/account/proconnect-routes.js';
import { securityRoutes } from './web/account/security-routes.js';
import { accountRequestsAdminRoutes } from './web/admin/account-requests-routes.js';
import { adminRoutes } from './web/admin/routes.js';
import { templateAdminRoutes } from './web/admin/templates-routes.js';
import { userAdminRoutes } from './web/admin/users-routes.js';
import { knowledgeRoutes } from './web/knowledge/routes.js';
import { homeRoutes } from './web/pages/home-routes.js';
import { legalRoutes } from './web/pages/legal-routes.js';
import { pilotageRoutes } from './web/pilotage/routes.js';
import { identify } from './web/plugins/actor-gate.js';
import { isAssetUrl, registerAssets } from './web/plugins/assets.js';
import { registerCsrf } from './web/plugins/csrf.js';
import { errorHandling } from './web/plugins/errors.js';
import { cleanInput } from './web/plugins/input.js';
import { loggerOptions, logRequests } from './web/plugins/log.js';
import { metricsPlugin } from './web/plugins/operations.js';
import { PgSessionStore } from './web/plugins/session-store.js';
import { deskRoutes } from './web/requests/queue-routes.js';
import { portalRoutes } from './web/requests/routes.js';
import './web/plugins/types.js';
import { confineUntilEnrolled } from './web/plugins/actor-gate.js';

export type AppOptions = {
  config: Config;
  database: Database;
  /** false: no log; an object: more logger options (a destination stream in tests). */
  logger?: false | object;
};

/** Builds the portal (pages, API, operations endpoints) on an opened, migrated database. */
export async function buildApp({ config, database, logger }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger === false ? false : loggerOptions(config.logLevel, logger),
    // X-Forwarded-* only from the configured balancers: from anyone else they would choose the address
    // the login throttling counts against.
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    // Replaced by logRequests: one line per request, none per static file.
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.decorate('deps', { config, database, db: database.db, files: new FileStore(join(config.dataDir, 'files')) });
  app.decorateRequest('actor', null);
  logRequests(app);
  // Every route, as registered: the access tests go through the whole table.
  const routeTable: string[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push(`${method} ${route.url}`);
  });
  // Routes declare their params, query and body with zod: one source for validation and types.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await registerSecurity(app, config);
  if (config.compressPages) {
    // Pages, CSV and JSON only: uploads and exports are already compressed, static files are stored compressed.
    await app.register(fastifyCompress, {
      encodings: ['br', 'gzip'],
      customTypes: /^text\/|[/+]json(;|$)/,
      // A page is compressed in one call, not through a stream: on two cores the library's default
      // streams any page over 8 KiB, and a stream costs several times the compression itself.
      syncThreshold: 512 * 1024,
    });
  }
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, {
    // Oversized files are cut and reported next to the field (readMultipart), not thrown.
    throwFileSizeLimit: false,
    limits: { fileSize: config.upload.maxFileBytes, files: 50, fields: 50, fieldSize: 100_000 },
  });
  await registerAssets(app);
  cleanInput(app);

  // Who is signed in, before the route's schema is checked: a gate answers an anonymous visitor first.
  app.addHook('preValidation', async (request) => {
    if (!isAssetUrl(request.url)) await identify(request);
  });
  // An administrator who must enrol in two-factor authentication reaches nothing else until done.
  app.addHook('preValidation', confineUntilEnrolled);
  await registerCsrf(app, config);

  await app.register(errorHandling);
  await app.register(metricsPlugin);
  await app.register(authRoutes);
  await app.register(securityRoutes);
  await app.register(proconnectRoutes);
  await app.register(accessRoutes);
  await app.register(homeRoutes);
  await app.register(portalRoutes);
  await app.register(deskRoutes);
  await app.register(adminRoutes);
  await app.register(templateAdminRoutes);
  await app.register(userAdminRoutes);
  await app.register(myAccountRoutes);
  await app.register(accountRequestsAdminRoutes);
  await app.register(knowledgeRoutes);
  await app.register(legalRoutes);
  await app.register(pilotageRoutes);
  return app;
}

async function registerSecurity(app: FastifyInstance, config: Config) {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        // Forms that answer with a redirection to ProConnect (login, logout) need its origin too.
        formAction: ["'self'", ...(config.proconnect ? [new URL(config.proconnect.issuer).origin] : [])],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.production ? [] : null,
      },
    },
    strictTransportSecurity: config.production,
  });
  await app.register(fastifyCookie, { secret: config.sessionSecret });
  await app.register(fastifySession, {
    secret: config.sessionSecret,
    cookieName: config.production ? '__Host-guichet' : 'guichet',
    store: new PgSessionStore(app.deps.db),
    saveUninitialized: false,
    rolling: false,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.production },
  });
  await app.register(fastifyRateLimit, { global: false });
}
