import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PgDialect } from 'drizzle-orm/pg-core';
import { requestNumberOf } from './request-search.js';
import { readSearchQuery, searchHref } from './search-page-query.js';
import { cleanQueryText, MAX_QUERY_LENGTH, parseQuery, tsQuery } from './text-query.js';

const dialect = new PgDialect();

test('control characters and NUL are removed, spaces collapsed, length capped', () => {
  assert.equal(cleanQueryText('  agrément\u0000\tbloquant \n'), 'agrément bloquant');
  assert.equal(cleanQueryText('x'.repeat(5000)).length, MAX_QUERY_LENGTH);
});

test('the last word becomes a prefix, in lower case, only when it has two letters or more', () => {
  assert.deepEqual(parseQuery('Agréments Bloq'), { text: 'Agréments Bloq', words: ['Agréments', 'Bloq'], prefix: 'bloq' });
  assert.equal(parseQuery('agrément b').prefix, null);
  assert.equal(parseQuery('session 2024').prefix, null);
  assert.deepEqual(parseQuery('"&|!():*').words, []);
});

test('typed text reaches the database only as bound parameters, never as tsquery syntax', () => {
  const query = dialect.sqlToQuery(tsQuery(parseQuery("agr:* & !(x) | 'édit")));
  assert.doesNotMatch(query.sql, /agr|!\(x\)/);
  // The whole text goes to websearch_to_tsquery (which accepts anything); the prefix part is built
  // from the words' letters only: the operators typed are gone.
  assert.deepEqual(query.params, ["agr:* & !(x) | 'édit", 'agr x', 'édit:*']);
});

test('a request number: « 12345 », « n° 12345 », « #12345 »; anything else is not one', () => {
  assert.equal(requestNumberOf('12345'), 12345);
  assert.equal(requestNumberOf(' n° 67100 '), 67100);
  assert.equal(requestNumberOf('#42'), 42);
  assert.equal(requestNumberOf('0'), null);
  assert.equal(requestNumberOf('12 345 agrément'), null);
  assert.equal(requestNumberOf('9'.repeat(30)), null);
});

const refs = {
  applications: [
    { id: 3, name: 'CERES' },
    { id: 2, name: 'Ariane' },
  ],
  themes: [
    { id: 5, applicationId: 3, name: 'base des agréments' },
    { id: 11, applicationId: 2, name: 'autre' },
  ],
} as unknown as Parameters<typeof readSearchQuery>[1];

test('the page keeps only usable filters: known type, application, theme of that application', () => {
  assert.deepEqual(readSearchQuery({ q: ' agré ', type: 'faq', application: '3', theme: '5', decalage: '20' }, refs, true), {
    text: 'agré',
    type: 'faq',
    applicationId: 3,
    themeId: 5,
    offset: 20,
  });
  const junk = readSearchQuery({ q: ['a', 'b'], type: 'zzz', application: '1e3', theme: '11', decalage: '-5' }, refs, true);
  assert.deepEqual(junk, { text: 'a', type: null, applicationId: null, themeId: 11, offset: 0 });
  assert.equal(readSearchQuery({ application: '3', theme: '11' }, refs, true).themeId, null);
  assert.equal(readSearchQuery({ type: 'demandes' }, refs, false).type, null, 'requesters have no « Demandes »');
  assert.equal(readSearchQuery({ type: 'demandes' }, refs, true).type, 'demandes');
  assert.equal(readSearchQuery({ decalage: '999999' }, refs, true).offset, 450);
});

test('a search’s address keeps its filters', () => {
  const q = readSearchQuery({ q: 'agrément bloquant', type: 'document', application: '3' }, refs, true);
  assert.equal(searchHref(q), '/recherche?q=agr%C3%A9ment+bloquant&type=document&application=3');
  assert.equal(searchHref(q, { type: null, applicationId: null }), '/recherche?q=agr%C3%A9ment+bloquant');
});
