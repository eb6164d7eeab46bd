/**
 * Typed view of the knowledge tables (FAQ, documents, news, « Ressources associées », suggestions).
 */
import { bigserial, boolean, date, integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import type { Audience } from '../domain/vocabulary.js';
import { id64, tz } from './columns.js';

export const faqEntries = pgTable('faq_entries', {
  id: serial('id').primaryKey(),
  number: integer('number').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  applicationId: integer('application_id'),
  published: boolean('published').notNull().default(true),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
  themeId: integer('theme_id'),
  audience: text('audience').$type<Audience>().notNull().default('users'),
  publishedAt: tz('published_at'),
  updatedBy: integer('updated_by'),
  sourceRequestId: id64('source_request_id'),
});

export const faqDocuments = pgTable('faq_documents', {
  faqEntryId: integer('faq_entry_id').notNull(),
  documentId: integer('document_id').notNull(),
});

export const documents = pgTable('documents', {
  id: serial('id').primaryKey(),
  title: text('title').notNull(),
  applicationId: integer('application_id'),
  themeId: integer('theme_id'),
  attachmentStorageKey: text('attachment_storage_key'),
  published: boolean('published').notNull().default(true),
  summary: text('summary').notNull().default(''),
  audience: text('audience').$type<Audience>().notNull().default('users'),
  publishedAt: tz('published_at'),
  updatedAt: tz('updated_at').notNull().defaultNow(),
  updatedBy: integer('updated_by'),
  fileText: text('file_text').notNull().default(''),
});

export const news = pgTable('news', {
  id: serial('id').primaryKey(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  publishedOn: date('published_on', { mode: 'string' }).notNull(),
  published: boolean('published').notNull().default(true),
  startsAt: tz('starts_at'),
  endsAt: tz('ends_at'),
  audience: text('audience').$type<Audience>().notNull().default('users'),
  updatedAt: tz('updated_at').notNull().defaultNow(),
  updatedBy: integer('updated_by'),
});

export const requestFaqLinks = pgTable('request_faq_links', {
  requestId: id64('request_id').notNull(),
  faqEntryId: integer('faq_entry_id').notNull(),
  createdBy: integer('created_by'),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const requestDocumentLinks = pgTable('request_document_links', {
  requestId: id64('request_id').notNull(),
  documentId: integer('document_id').notNull(),
  createdBy: integer('created_by'),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const documentVersions = pgTable('document_versions', {
  id: serial('id').primaryKey(),
  documentId: integer('document_id').notNull(),
  version: integer('version').notNull(),
  storageKey: text('storage_key').notNull(),
  originalName: text('original_name').notNull(),
  mediaType: text('media_type').notNull(),
  sizeBytes: id64('size_bytes').notNull(),
  sha256: text('sha256').notNull(),
  textStatus: text('text_status').$type<'pending' | 'done' | 'failed' | 'none'>().notNull().default('pending'),
  textError: text('text_error'),
  uploadedBy: integer('uploaded_by'),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const knowledgeSuggestions = pgTable('knowledge_suggestions', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  formToken: text('form_token').notNull(),
  userId: integer('user_id'),
  kind: text('kind').$type<'shown' | 'opened' | 'filed'>().notNull(),
  itemType: text('item_type').$type<'faq' | 'document'>(),
  itemId: integer('item_id'),
  query: text('query'),
  applicationId: integer('application_id'),
  requestId: id64('request_id'),
  createdAt: tz('created_at').notNull().defaultNow(),
});
