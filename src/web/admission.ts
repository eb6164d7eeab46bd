/**
 * With the embedded database, every query of every request runs one at a time inside this process:
 * fifty requests in flight interleave their queries, and each then waits for nearly all the others,
 * some for seconds. Letting a few in at a time, the others waiting in arrival order, keeps every
 * wait in proportion to the queue ahead of it.
 */
import type { FastifyInstance } from 'fastify';

/** Static files never reach the database: they are not held back. */
const FREE = ['/dsfr/', '/static/', '/healthz'];

export function admitInOrder(app: FastifyInstance, max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  const admitted = new WeakSet<object>();
  const leave = (request: object) => {
    if (admitted.delete(request)) release();
  };
  app.addHook('onRequest', async (request) => {
    if (FREE.some((prefix) => request.url.startsWith(prefix))) return;
    if (active < max) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    admitted.add(request);
  });
  // Once the answer is ready to go: a file or an export then streams without holding a place. A
  // request whose client went away still runs to its end, and holds its place until then.
  app.addHook('onSend', async (request, _reply, payload) => {
    leave(request);
    return payload;
  });
  app.addHook('onResponse', async (request) => leave(request));
}
