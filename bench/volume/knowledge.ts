/**
 * The knowledge base at scale: FAQ entries (one statement) and documents with their first version.
 * Documents' files are small real text files written through the document store, so downloads work.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { documents, documentVersions } from '../../src/db/schema.js';
import { documentStore } from '../../src/domain/knowledge/documents-files.js';
import type { Audience } from '../../src/domain/vocabulary.js';
import type { Plan } from './plan.js';
import { below, pick, pickId, timestamp, unit } from './sql.js';
import { DOCUMENT_KINDS, FAQ_PARAGRAPHS, FAQ_QUESTIONS, SUBJECT_OBJECTS } from './vocabulary.js';

const AUDIENCES: Audience[] = ['public', 'users', 'users', 'agents'];

export function faqStatement(plan: Plan, count: number): string {
  const app = `(array[${plan.apps.map((a) => a.id).join(',')}]::int[])[1 + ${below('g', 80, plan.apps.length)}]`;
  const ceresThemes = plan.themes.get(plan.ceresId) ?? [];
  const at = `${timestamp(plan.now)} - interval '5 years' * ${unit('g', 81)}`;
  return `
insert into faq_entries (number, title, body, application_id, theme_id, audience, published, published_at, created_at, updated_at)
select base + g, ${pick(FAQ_QUESTIONS, 'g', 82)} || ' ' || ${pick(SUBJECT_OBJECTS, 'g', 83)} || ' ?',
  ${pick(FAQ_PARAGRAPHS, 'g', 84)} || E'\\n\\n' || ${pick(FAQ_PARAGRAPHS, 'g', 85)} || E'\\n\\n' || ${pick(FAQ_PARAGRAPHS, 'g', 86)},
  app, case when app = ${plan.ceresId} then ${pickId(ceresThemes, 'g', 87)} end,
  (array['public', 'users', 'users', 'agents'])[1 + ${below('g', 88, 4)}],
  ${below('g', 89, 20)} > 0, case when ${below('g', 89, 20)} > 0 then at end, at, at
from (select g, ${app} as app, ${at} as at from generate_series(1, ${count}) g) x,
  (select coalesce(max(number), 0) as base from faq_entries) b`;
}

type DocumentFile = { storageKey: string; sizeBytes: number; sha256: string };
type DocumentRow = {
  n: number;
  title: string;
  lines: string[];
  app: Plan['apps'][number];
  theme: number | null;
  file: DocumentFile;
  at: Date;
  i: number;
};

/** Writes the documents (and their files in `dataDir` when given); returns how many. */
export async function generateDocuments(db: Db, plan: Plan, count: number, dataDir?: string): Promise<number> {
  const [base] = (await db.execute(sql`select count(*)::int as n from documents`)).rows as { n: number }[];
  const store = dataDir ? documentStore(dataDir) : null;
  const rows: DocumentRow[] = [];
  for (let i = 1; i <= count; i++) {
    const n = (base?.n ?? 0) + i;
    const app = plan.apps[i % plan.apps.length]!;
    const themes = plan.themes.get(app.id) ?? [];
    const object = SUBJECT_OBJECTS[i % SUBJECT_OBJECTS.length]!;
    const title = `${DOCUMENT_KINDS[i % DOCUMENT_KINDS.length]} – ${object} (${app.code}) n° ${n}`;
    const lines = [
      title,
      `Ce document explique comment traiter ${object} dans ${app.code}.`,
      FAQ_PARAGRAPHS[i % FAQ_PARAGRAPHS.length]!,
    ];
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    const file: DocumentFile = store
      ? await store.save(Readable.from([bytes]), `document-${n}.txt`, 1 << 20)
      : {
          storageKey: createHash('md5').update(`document-${n}`).digest('hex'),
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
        };
    const at = new Date(plan.now.getTime() - ((i * 7919) % 1826) * 86_400_000);
    rows.push({ n, title, lines, app, theme: themes.length ? themes[i % themes.length]! : null, file, at, i });
  }
  await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(documents)
      .values(
        rows.map((r) => ({
          title: r.title,
          summary: r.lines[1]!,
          applicationId: r.app.id,
          themeId: r.theme,
          audience: AUDIENCES[r.i % AUDIENCES.length]!,
          published: true,
          publishedAt: r.at,
          createdAt: r.at,
          updatedAt: r.at,
          fileText: r.lines.join('\n'),
        })),
      )
      .returning({ id: documents.id });
    await tx.insert(documentVersions).values(
      rows.map((r, k) => ({
        documentId: inserted[k]!.id,
        version: 1,
        storageKey: r.file.storageKey,
        originalName: `document-${r.n}.txt`,
        mediaType: 'text/plain',
        sizeBytes: r.file.sizeBytes,
        sha256: r.file.sha256,
        textStatus: 'none' as const,
        uploadedBy: plan.userBase + plan.agents + plan.experts + 1,
        createdAt: r.at,
      })),
    );
  });
  return count;
}
