/**
 * « Pilotage »: the figures page, the export of its tables (CSV, ODS) and the printable report.
 * Pilotes and administrators only; the filters are read and checked by the domain.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { FIELDS, type RawFilters, readFilters, scopeOf } from '../../domain/pilotage/filters.js';
import { pilotageReport } from '../../domain/pilotage/report.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import type { FormState } from '../components/form.js';
import { actorOf, requireArea, viewContext } from '../plugins/actor-gate.js';
import { loadCharts } from '../shared/charts.js';
import { sendPage } from '../shared/render.js';
import { first, query, type ZodApp } from '../shared/schemas.js';
import { type ExportFormat, sendExport } from '../shared/table-export.js';
import { PilotagePage } from './pilotage-page.js';
import { ReportPage } from './report-page.js';
import { pilotageTables } from './tables.js';

const filterQuery = query({
  ...(Object.fromEntries(Object.keys(FIELDS).map((k) => [k, first])) as Record<keyof typeof FIELDS, typeof first>),
  tableau: first,
});

/** The filters typed in the address, each at most a short line (they are echoed in the form). */
function rawOf(q: Record<string, unknown>): RawFilters {
  const raw: RawFilters = {};
  for (const key of Object.keys(FIELDS) as (keyof RawFilters)[]) {
    const value = q[key];
    if (typeof value === 'string' && value.trim()) raw[key] = value.trim().slice(0, 40);
  }
  return raw;
}

export async function pilotageRoutes(app: ZodApp) {
  const { db } = app.deps;
  const gate = { preValidation: requireArea('pilotage'), schema: { querystring: filterQuery } };

  // Without figures (refused filters), the page says why, next to the field.
  const backToPage = (request: FastifyRequest, reply: FastifyReply) =>
    reply.redirect(`/pilotage${new URL(request.url, 'http://x').search}`, 303);

  async function load(request: FastifyRequest<{ Querystring: z.infer<typeof filterQuery> }>) {
    const actor = actorOf(request);
    const refs = await getReferentials(db);
    const raw = rawOf(request.query);
    const read = readFilters(raw, actor, refs);
    const form: FormState = { values: raw as Record<string, string>, errors: read.ok ? {} : read.errors };
    const scope = scopeOf(actor, refs);
    const report = read.ok && scope.length ? await pilotageReport(db, actor, read.filters) : null;
    await loadCharts();
    return { refs, raw, form, report, scope };
  }

  app.get('/pilotage', gate, async (request, reply) => {
    const { refs, raw, form, report, scope } = await load(request);
    const ctx = await viewContext(request, reply);
    const status = Object.keys(form.errors).length ? 400 : 200;
    return sendPage(reply, <PilotagePage ctx={ctx} refs={refs} scope={scope} form={form} raw={raw} report={report} />, status);
  });

  app.get('/pilotage/rapport', gate, async (request, reply) => {
    const { refs, raw, report } = await load(request);
    if (!report) return backToPage(request, reply);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <ReportPage ctx={ctx} refs={refs} raw={raw} report={report} />);
  });

  const exportTables =
    (format: ExportFormat) =>
    async (request: FastifyRequest<{ Querystring: z.infer<typeof filterQuery> }>, reply: FastifyReply) => {
      const { refs, report } = await load(request);
      if (!report) return backToPage(request, reply);
      const all = pilotageTables(report, refs);
      const wanted = request.query.tableau;
      const tables = !wanted || wanted === 'tous' ? all : all.filter((t) => t.id === wanted);
      if (!tables.length) return reply.callNotFound();
      const { firstDay, lastDay } = report.filters.period;
      const name = `pilotage-${tables.length === 1 ? tables[0]?.id : 'tableaux'}-${firstDay}-${lastDay}`;
      return sendExport(reply, format, name, tables);
    };
  app.get('/pilotage/export.csv', gate, exportTables('csv'));
  app.get('/pilotage/export.ods', gate, exportTables('ods'));
}
