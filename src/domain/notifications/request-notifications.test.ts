import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mailContextOf, mailDomain } from './request-notifications.js';

const config = { publicUrl: 'https://assistance.exemple.gouv.fr', sessionSecret: 'a-secret-of-at-least-thirty-two-characters' };

test('message ids and thread references are named after the sender’s domain, else the portal’s', () => {
  assert.equal(
    mailDomain(mailContextOf({ ...config, mailFrom: 'Assistance <Ne-Pas-Repondre@Assistance.Exemple.fr>' })),
    'assistance.exemple.fr',
  );
  assert.equal(mailDomain(mailContextOf({ ...config, mailFrom: 'ne-pas-repondre@envoi.exemple.fr' })), 'envoi.exemple.fr');
  assert.equal(mailDomain(mailContextOf(config)), 'assistance.exemple.gouv.fr');
});

test('replies by e-mail are on only when their base address is configured', () => {
  assert.equal(mailContextOf(config).replyTo, undefined);
  assert.deepEqual(mailContextOf({ ...config, mailReplyTo: 'reponse@exemple.fr' }).replyTo, {
    base: 'reponse@exemple.fr',
    secret: config.sessionSecret,
  });
});
