/**
 * CSRF protection: a secret in a signed cookie, a token in every form. The token travels in the
 * form's body, never in its address (addresses land in logs and in the address bar): a multipart
 * form carries it as its first field, checked by readMultipart before any file is stored.
 */
import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';

const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

const cookieName = (config: Config) => (config.production ? '__Host-csrf' : 'guichet-csrf');

export async function registerCsrf(app: FastifyInstance, config: Config) {
  app.decorateRequest('csrfField', null);
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: cookieName(config),
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.production, signed: true },
    getToken: (request) =>
      request.csrfField ??
      (request.body as Record<string, string> | undefined)?._csrf ??
      (request.headers['x-csrf-token'] as string | undefined),
  });
  app.addHook('preHandler', (request, reply, done) => {
    if (SAFE_METHODS.includes(request.method) || request.routeOptions.config?.csrf === false) return done();
    // A multipart form is checked when its first field is read (readMultipart), on the routes that read one.
    if (request.isMultipart() && request.routeOptions.config?.multipartForm === true) return done();
    app.csrfProtection(request, reply, done);
  });
}

/** Checks the token of a multipart form (its first field), with the plugin's own check; rejects when wrong. */
export function verifyCsrfField(request: FastifyRequest, reply: FastifyReply, token: string | null): Promise<void> {
  request.csrfField = token ?? '';
  return new Promise((resolve, reject) => {
    // The plugin answers a wrong token itself (reply.send): here the error goes to the caller instead.
    const refusing = Object.create(reply, { send: { value: (error: Error) => reject(error) } }) as FastifyReply;
    request.server.csrfProtection(request, refusing, () => resolve());
  });
}

/** At login the secret changes: tokens handed out before it (to the anonymous visitor) stop working. */
export function renewCsrfSecret(request: FastifyRequest, reply: FastifyReply) {
  const name = cookieName(request.server.deps.config);
  delete request.cookies[name];
  reply.generateCsrf();
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The token of a multipart form, read from its first field. */
    csrfField: string | null;
  }
  interface FastifyContextConfig {
    /** false: the route checks its own credentials (API tokens, operations endpoints). */
    csrf?: boolean;
    /** The route reads a multipart form through readMultipart, which checks its token first. */
    multipartForm?: boolean;
  }
}
