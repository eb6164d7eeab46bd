import { and, asc, desc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { applications, documents, faqEntries, news, themes } from '../../db/schema.js';
import { isSerialId } from '../validation.js';

/** The latest published FAQ entries, shown in number order as in the guide. */
export async function latestFaq(db: Executor, limit = 5) {
  const rows = await db
    .select({ number: faqEntries.number, title: faqEntries.title })
    .from(faqEntries)
    .where(eq(faqEntries.published, true))
    .orderBy(desc(faqEntries.number))
    .limit(limit);
  return rows.reverse();
}

export async function latestNews(db: Executor) {
  const [row] = await db
    .select({ title: news.title, body: news.body, publishedOn: news.publishedOn })
    .from(news)
    .where(eq(news.published, true))
    .orderBy(desc(news.publishedOn), desc(news.id))
    .limit(1);
  return row ?? null;
}

export async function faqByNumber(db: Executor, number: number) {
  if (!isSerialId(number)) return null;
  const [row] = await db
    .select({ number: faqEntries.number, title: faqEntries.title, body: faqEntries.body, applicationName: applications.name })
    .from(faqEntries)
    .leftJoin(applications, eq(applications.id, faqEntries.applicationId))
    .where(and(eq(faqEntries.number, number), eq(faqEntries.published, true)));
  return row ?? null;
}

/** The knowledge base by application: FAQ entries and documents. */
export async function knowledgeIndex(db: Executor, applicationId?: number) {
  const [faq, docs] = await Promise.all([
    db
      .select({ number: faqEntries.number, title: faqEntries.title, applicationId: faqEntries.applicationId })
      .from(faqEntries)
      .where(and(eq(faqEntries.published, true), applicationId ? eq(faqEntries.applicationId, applicationId) : undefined))
      .orderBy(asc(faqEntries.number)),
    db
      .select({ id: documents.id, title: documents.title, applicationId: documents.applicationId, themeName: themes.name })
      .from(documents)
      .leftJoin(themes, eq(themes.id, documents.themeId))
      .where(and(eq(documents.published, true), applicationId ? eq(documents.applicationId, applicationId) : undefined))
      .orderBy(asc(documents.title)),
  ]);
  return { faq, docs };
}
