import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { documents, faqEntries, themes } from '../../db/schema.js';

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
