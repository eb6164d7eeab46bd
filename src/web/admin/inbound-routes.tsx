import type { FastifyInstance } from 'fastify';
import { listInbound } from '../../domain/inbound/record.js';
import { requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { InboundPage } from './inbound-page.js';

const PAGE_SIZE = 50;

export async function inboundRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  app.get<{ Querystring: { avant?: string } }>(
    '/admin/courriels-recus',
    { preHandler: requireArea('admin') },
    async (request, reply) => {
      const page = await listInbound(db, Number(request.query.avant) || undefined, PAGE_SIZE);
      const ctx = await viewContext(request, reply);
      return sendPage(reply, <InboundPage ctx={ctx} page={page} />);
    },
  );
}
