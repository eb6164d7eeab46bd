/**
 * The request log: what it says of each request, without the secrets some addresses carry
 * (the one-time links of e-mails: password reset, activation, e-mail change) nor cookies or
 * authorisation headers.
 */
import type { FastifyRequest } from 'fastify';

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
