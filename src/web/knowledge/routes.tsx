import type { ZodApp } from '../shared/schemas.js';
import { documentEditingRoutes } from './documents-editing-routes.js';
import { documentRoutes } from './documents-routes.js';
import { editingIndexRoutes } from './editing-index.js';
import { faqEditingRoutes } from './faq-editing-routes.js';
import { faqRoutes } from './faq-routes.js';
import { newsRoutes } from './news-routes.js';
import { searchRoutes } from './search-routes.js';

/** The knowledge base is public: anyone may read the FAQ and documents before filing a request. */
export async function knowledgeRoutes(app: ZodApp) {
  await app.register(editingIndexRoutes);
  await app.register(faqRoutes);
  await app.register(faqEditingRoutes);
  await app.register(newsRoutes);
  await app.register(searchRoutes);
  await app.register(documentRoutes);
  await app.register(documentEditingRoutes);
}
