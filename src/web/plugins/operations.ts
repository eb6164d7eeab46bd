import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The request carries `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time). */
function bearsToken(request: FastifyRequest, token: string): boolean {
  const sent = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(sent), digest(token));
}

/**
 * /healthz (the process answers), /readyz (the database answers), /metrics (Prometheus, for the
 * holder of METRICS_TOKEN only: the figures tell about the portal's traffic and errors).
 */
export const metricsPlugin = fp(async (app: FastifyInstance) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Durée des réponses HTTP',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const errors = new Counter({ name: 'http_errors_total', help: 'Réponses 5xx', labelNames: ['route'], registers: [registry] });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unknown';
    duration.observe({ method: request.method, route, status: reply.statusCode }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) errors.inc({ route });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await app.deps.database.ping();
      return { status: 'ok', database: app.deps.database.kind };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: app.deps.database.kind });
    }
  });
  app.get('/metrics', async (request, reply) => {
    const token = app.deps.config.metricsToken;
    if (!token) return reply.callNotFound();
    if (!bearsToken(request, token)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'Jeton manquant ou incorrect', status: 401 });
    }
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
});
