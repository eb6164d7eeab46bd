import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReplyAddress, replyAddress } from './reply-address.js';

const base = 'reponse@assistance.localhost';
const secret = 'a-secret-of-at-least-thirty-two-characters';

test('a reply address names its request and recipient, and reads back', () => {
  const address = replyAddress(base, secret, { requestNumber: 67100, userId: 12 });
  assert.match(address, /^reponse\+67100-12-[0-9a-f]{24}@assistance\.localhost$/);
  assert.deepEqual(parseReplyAddress(address, base, secret), { requestNumber: 67100, userId: 12 });
  assert.deepEqual(parseReplyAddress(address.toUpperCase(), base, secret), { requestNumber: 67100, userId: 12 });
});

test('a forged or altered address is refused', () => {
  const address = replyAddress(base, secret, { requestNumber: 67100, userId: 12 });
  assert.equal(parseReplyAddress(address.replace('-12-', '-13-'), base, secret), null);
  assert.equal(parseReplyAddress(address.replace('67100', '67101'), base, secret), null);
  assert.equal(parseReplyAddress(address, base, 'another-secret-of-thirty-two-characters!'), null);
  assert.equal(parseReplyAddress(address.replace('assistance.localhost', 'ailleurs.localhost'), base, secret), null);
  assert.equal(parseReplyAddress('reponse+67100-12-000000000000000000000000@assistance.localhost', base, secret), null);
  assert.equal(parseReplyAddress('reponse@assistance.localhost', base, secret), null);
});
