/**
 * The search page's parameters, read from the address: unknown or unusable values are dropped
 * (a filter that cannot apply is no error for a GET search), never passed to the database.
 */
import type { Referentials } from '../referentials/referentials.js';
import { MAX_REQUEST_OFFSET } from './request-search.js';
import { cleanQueryText } from './text-query.js';

/** Requests per page when the « Demandes » type is chosen. */
export const REQUESTS_PER_PAGE = 20;

export type SearchType = 'faq' | 'document' | 'demandes';

export type SearchPageQuery = {
  text: string;
  type: SearchType | null;
  applicationId: number | null;
  themeId: number | null;
  /** Requests' page (staff, « Demandes » only). */
  offset: number;
};

export const SEARCH_TYPE_LABELS: Record<SearchType, string> = {
  faq: 'F.A.Q.',
  document: 'Documents',
  demandes: 'Demandes',
};

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const str = (v: unknown) => (typeof one(v) === 'string' ? (one(v) as string) : '');

export function readSearchQuery(raw: Record<string, unknown>, refs: Referentials, staff: boolean): SearchPageQuery {
  const type = str(raw.type);
  const types: SearchType[] = staff ? ['faq', 'document', 'demandes'] : ['faq', 'document'];
  const application = refs.applications.find((a) => String(a.id) === str(raw.application));
  const theme = refs.themes.find((t) => String(t.id) === str(raw.theme) && (!application || t.applicationId === application.id));
  const offset = Number(str(raw.decalage));
  return {
    text: cleanQueryText(str(raw.q)),
    type: types.includes(type as SearchType) ? (type as SearchType) : null,
    applicationId: application?.id ?? null,
    themeId: theme?.id ?? null,
    offset: Number.isInteger(offset) && offset > 0 ? Math.min(offset, MAX_REQUEST_OFFSET) : 0,
  };
}

/** The address of a search, for links (pagination, removing a filter). */
export function searchHref(q: SearchPageQuery, changes: Partial<SearchPageQuery> = {}): string {
  const next = { ...q, ...changes };
  const params = new URLSearchParams();
  if (next.text) params.set('q', next.text);
  if (next.type) params.set('type', next.type);
  if (next.applicationId) params.set('application', String(next.applicationId));
  if (next.themeId) params.set('theme', String(next.themeId));
  if (next.offset) params.set('decalage', String(next.offset));
  const s = params.toString();
  return s ? `/recherche?${s}` : '/recherche';
}
