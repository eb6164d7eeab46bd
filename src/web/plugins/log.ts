/**
 * The request log: what it says of each request, without the secrets some addresses carry
 * (the one-time links of e-mails: password reset, activation, e-mail change) nor cookies or
 * authorisation headers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isAssetUrl } from './assets.js';

const SECRET_PATHS = /^(\/(?:mot-de-passe|activation|mon-compte\/courriel)\/)[^/?#]+/;
const SECRET_PARAMS = /([?&](?:_csrf|token|jeton)=)[^&#]*/g;

/** The address as logged: one-time tokens replaced by « … ». */
export const loggedUrl = (url: string) => url.replace(SECRET_PATHS, '$1…').replace(SECRET_PARAMS, '$1…');

/** Fastify's logger options for `level`, with the request serializer above; `extra` adds (tests: a stream). */
export function loggerOptions(level: string, extra: object = {}) {
  return {
    level,
    redact: ['req.headers.cookie', 'req.headers.authorization'],
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: loggedUrl(request.url),
        remoteAddress: request.ip,
      }),
    },
    ...extra,
  };
}

/** One line per answered request, static files left out (Fastify's own two lines per request are off). */
export function logRequests(app: FastifyInstance) {
  app.addHook('onResponse', async (request, reply) => {
    if (isAssetUrl(request.url)) return;
    request.log.info({ req: request, res: reply, responseTime: Math.round(reply.elapsedTime) }, 'requête');
  });
}

/** Development's readable log: time, level, message, and for a request its method, address, status and time. */
export async function prettyLog(): Promise<NodeJS.WritableStream> {
  const { default: pretty } = await import('pino-pretty');
  return pretty({
    sync: true,
    colorize: process.stdout.isTTY,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,reqId,req,res,responseTime',
    messageFormat: '{msg}{if req} {req.method} {req.url} → {res.statusCode} ({responseTime} ms){end}',
    singleLine: true,
  });
}
