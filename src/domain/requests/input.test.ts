import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '../errors.js';
import type { Referentials } from '../referentials/referentials.js';
import { parseNewRequest } from './input.js';

const refs: Referentials = {
  applications: [
    { id: 1, code: 'CERES', name: 'CERES' },
    { id: 2, code: 'ARIANE', name: 'Ariane' },
  ],
  themes: [{ id: 10, applicationId: 1, name: 'base des agréments' }],
  problemTypes: [{ id: 20, parentId: null, name: 'problème de connexion' }],
  regions: [],
  natures: [],
  types: [],
};

const valid = {
  subject: 'Connexion impossible',
  blocking: 'non',
  applicationId: '1',
  themeId: '10',
  problemTypeId: '20',
  businessReference: '',
  description: 'Le bouton ne répond pas.',
};

function errorsOf(raw: Record<string, unknown>): Record<string, string> {
  try {
    parseNewRequest(raw, refs);
  } catch (error) {
    if (error instanceof ValidationError) return error.fields;
    throw error;
  }
  return {};
}

describe('new request input', () => {
  test('a valid form gives typed values; blanks become null', () => {
    assert.deepEqual(parseNewRequest({ ...valid, themeId: '', problemTypeId: '', businessReference: '  ' }, refs), {
      subject: 'Connexion impossible',
      blocking: false,
      applicationId: 1,
      themeId: null,
      problemTypeId: null,
      businessReference: null,
      description: 'Le bouton ne répond pas.',
    });
  });

  test('a theme of another application is refused', () => {
    assert.deepEqual(errorsOf({ ...valid, applicationId: '2' }), { themeId: 'Choisissez un thème de l’application choisie.' });
  });

  test('every wrong field is reported at once, the referential checks included', () => {
    const errors = errorsOf({ applicationId: '2', themeId: '10', problemTypeId: '99', subject: ' ', description: '' });
    assert.deepEqual(Object.keys(errors).sort(), ['blocking', 'description', 'problemTypeId', 'subject', 'themeId']);
    for (const message of Object.values(errors)) assert.doesNotMatch(message, /invalid|expected|received/i);
  });

  test('unknown ids are refused, not trusted', () => {
    const errors = errorsOf({ ...valid, applicationId: '99', themeId: '77' });
    assert.equal(errors.applicationId, 'Choisissez l’application concernée.');
    assert.equal(errors.themeId, 'Choisissez un thème de l’application choisie.');
  });

  test('fields nobody may set are dropped', () => {
    const parsed = parseNewRequest({ ...valid, status: 'closed', level: '2', requesterId: '5', assigneeId: '3' }, refs);
    assert.deepEqual(Object.keys(parsed).sort(), [
      'applicationId',
      'blocking',
      'businessReference',
      'description',
      'problemTypeId',
      'subject',
      'themeId',
    ]);
  });
});
