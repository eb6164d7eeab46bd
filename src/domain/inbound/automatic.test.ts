import assert from 'node:assert/strict';
import { test } from 'node:test';
import { automaticReason, type MailFacts } from './automatic.js';

const person = (headers: Record<string, string> = {}, more: Partial<MailFacts> = {}): MailFacts => ({
  headerLines: Object.entries(headers).map(([k, v]) => ({ key: k.toLowerCase(), line: `${k}: ${v}` })),
  from: 'marie@exemple.fr',
  subject: 'RE: [Demande n° 12] Complément d’information demandé',
  partTypes: [],
  envelopeFrom: 'marie@exemple.fr',
  ...more,
});

test('a person’s reply is not automatic, even with Auto-Submitted: no', () => {
  assert.equal(automaticReason(person()), null);
  assert.equal(automaticReason(person({ 'Auto-Submitted': 'no' })), null);
  assert.equal(automaticReason(person({ 'Auto-Submitted': 'No ; comment' })), null);
});

test('Auto-Submitted other than no is automatic', () => {
  for (const value of ['auto-replied', 'auto-generated', 'auto-notified', 'whatever']) {
    assert.match(automaticReason(person({ 'Auto-Submitted': value })) ?? '', /Auto-Submitted/);
  }
});

test('Precedence bulk, junk, list and auto_reply are automatic; first-class is not', () => {
  for (const value of ['bulk', 'junk', 'list', 'auto_reply', 'Bulk']) {
    assert.match(automaticReason(person({ Precedence: value })) ?? '', /Precedence/);
  }
  assert.equal(automaticReason(person({ Precedence: 'first-class' })), null);
});

test('a person’s message from Outlook (X-Auto-Response-Suppress) is not automatic', () => {
  assert.equal(automaticReason(person({ 'X-Auto-Response-Suppress': 'All' })), null);
});

test('auto-reply and list headers are automatic', () => {
  assert.match(automaticReason(person({ 'X-Autoreply': 'yes' })) ?? '', /X-Autoreply/);
  assert.match(automaticReason(person({ 'X-Autorespond': 'yes' })) ?? '', /X-Autorespond/);
  assert.match(automaticReason(person({ 'List-Id': '<liste.exemple.fr>' })) ?? '', /liste de diffusion/);
  assert.match(automaticReason(person({ 'List-Unsubscribe': '<mailto:x@y>' })) ?? '', /List-Unsubscribe/);
});

test('bounces: null sender, MAILER-DAEMON, postmaster, delivery reports', () => {
  assert.equal(automaticReason(person({}, { envelopeFrom: '' })), 'avis de non-remise');
  assert.equal(automaticReason(person({ 'Return-Path': '<>' }, { envelopeFrom: undefined })), 'avis de non-remise');
  assert.equal(automaticReason(person({}, { from: 'MAILER-DAEMON@mx.exemple.fr' })), 'avis de non-remise');
  assert.equal(automaticReason(person({}, { from: 'postmaster@exemple.fr' })), 'avis de non-remise');
  assert.equal(
    automaticReason(person({ 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="x"' })),
    'avis de non-remise',
  );
  assert.equal(automaticReason(person({}, { partTypes: ['message/delivery-status'] })), 'avis de non-remise');
  assert.equal(automaticReason(person({ 'Return-Path': '<marie@exemple.fr>' }, { envelopeFrom: undefined })), null);
});

test('out-of-office subjects are automatic', () => {
  for (const subject of [
    'Absence du bureau : [Demande n° 12]',
    'Réponse automatique : [Demande n° 12]',
    'Out of Office: [Demande n° 12]',
    'Automatic reply: [Demande n° 12]',
  ]) {
    assert.match(automaticReason(person({}, { subject })) ?? '', /objet/);
  }
});
