import { listInbound } from '../../domain/inbound/record.js';
import { requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { first, query, type ZodApp } from '../shared/schemas.js';
import { InboundPage } from './inbound-page.js';

const PAGE_SIZE = 50;

export async function inboundRoutes(app: ZodApp) {
  const { db } = app.deps;
  const schema = { querystring: query({ avant: first }) };
  app.get('/admin/courriels-recus', { preValidation: requireArea('admin'), schema }, async (request, reply) => {
    const page = await listInbound(db, Number(request.query.avant) || undefined, PAGE_SIZE);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <InboundPage ctx={ctx} page={page} />);
  });
}
