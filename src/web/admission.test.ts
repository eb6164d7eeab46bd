import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { admitInOrder } from './admission.js';

async function appWithSlowRoute(max: number) {
  const app = Fastify({ forceCloseConnections: true });
  admitInOrder(app, max);
  let inside = 0;
  let most = 0;
  const order: number[] = [];
  app.get<{ Querystring: { n: string } }>('/lent', async (request) => {
    inside++;
    most = Math.max(most, inside);
    order.push(Number(request.query.n));
    await sleep(20);
    inside--;
    return 'ok';
  });
  app.get('/static/x.css', async () => 'css');
  app.get('/erreur', async () => {
    throw new Error('panne');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { app, base: `http://127.0.0.1:${port}`, stats: () => ({ most, order }) };
}

test('at most `max` requests are served at once, the others in arrival order', async () => {
  const { app, base, stats } = await appWithSlowRoute(2);
  try {
    const answers: Promise<Response>[] = [];
    for (let n = 0; n < 8; n++) {
      answers.push(fetch(`${base}/lent?n=${n}`));
      await sleep(2);
    }
    for (const answer of await Promise.all(answers)) assert.equal(answer.status, 200);
    assert.equal(stats().most, 2);
    assert.deepEqual(stats().order, [0, 1, 2, 3, 4, 5, 6, 7]);
  } finally {
    await app.close();
  }
});

test('errors, abandoned requests and static files never keep a place', async () => {
  const { app, base, stats } = await appWithSlowRoute(1);
  try {
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${base}/erreur`)).status, 500);
    const gone = new AbortController();
    const abandoned = fetch(`${base}/lent?n=1`, { signal: gone.signal }).catch(() => null);
    await sleep(5);
    gone.abort();
    await abandoned;
    assert.equal(await (await fetch(`${base}/static/x.css`)).text(), 'css');
    const late = await Promise.race([fetch(`${base}/lent?n=2`).then((r) => r.status), sleep(2000).then(() => 'bloqué')]);
    assert.equal(late, 200);
    assert.equal(stats().most, 1);
  } finally {
    await app.close();
  }
});
