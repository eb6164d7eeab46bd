import { countAudit, parseAuditQuery, searchAudit, streamAudit } from '../../domain/audit/search.js';
import { requireArea, viewContext } from '../plugins/actor-gate.js';
import { sendPage } from '../shared/render.js';
import { first, query, raw, type ZodApp } from '../shared/schemas.js';
import { cellsOf, EXPORT_MAX_ROWS, parisDay, sendCsvStream } from '../shared/table-export.js';
import { AUDIT_COLUMNS, auditCells } from './audit-export.js';
import { AUDIT_PATH, AuditPage, auditFilterForm } from './audit-page.js';

/** The filter form's parameters, as the page and its export read them. */
const filters = query({ personne: raw, action: raw, objet: raw, identifiant: raw, du: raw, au: raw, avant: first });

const PAGE_SIZE = 100;

const firstValues = (q: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(Object.entries(q).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : (v ?? '')]));

/** « Journal d’audit »: the search of the trail and its CSV export (administrators). */
export async function auditRoutes(app: ZodApp) {
  const { db } = app.deps;
  const gate = { preValidation: requireArea('admin'), schema: { querystring: filters } };

  app.get(AUDIT_PATH, gate, async (request, reply) => {
    const { query, errors } = parseAuditQuery(request.query);
    const [page, count, ctx] = await Promise.all([
      searchAudit(db, query, { cursor: request.query.avant, limit: PAGE_SIZE }),
      countAudit(db, query),
      viewContext(request, reply),
    ]);
    const form = auditFilterForm(query, firstValues(request.query), errors);
    const status = Object.keys(errors).length ? 422 : 200;
    return sendPage(reply, <AuditPage ctx={ctx} form={form} query={query} page={page} count={count} />, status);
  });

  app.get(`${AUDIT_PATH}/export.csv`, gate, async (request, reply) => {
    // A refused field (a mistyped date) filters nothing, as in the page the link comes from.
    const { query } = parseAuditQuery(request.query);
    const rows = cellsOf(streamAudit(db, query, { max: EXPORT_MAX_ROWS }), auditCells);
    return sendCsvStream(reply, `journal-audit-${parisDay()}.csv`, AUDIT_COLUMNS, rows);
  });
}
