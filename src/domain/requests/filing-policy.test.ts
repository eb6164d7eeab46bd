/**
 * Who may file a request for whom, through which channel, and « pour le compte de » someone:
 * every cell written out.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '../actor.js';
import { ValidationError } from '../errors.js';
import type { Channel, Role } from '../vocabulary.js';
import { parseCallerChannel, parseOnBehalf } from './input.js';
import { canFile, type Filing } from './policy.js';

const actor = (id: number, role: Role): Actor => ({
  id,
  role,
  login: `user${id}`,
  displayName: `User ${id}`,
  applicationIds: [1],
  structureId: null,
});

const centre = { id: 1, role: 'requester' as const, active: true, requesterKind: 'centre' as const };
const direccte = { id: 2, role: 'requester' as const, active: true, requesterKind: 'direccte' as const };
const gone = { ...centre, id: 3, active: false };
const agentAccount = { id: 10, role: 'agent' as const, active: true, requesterKind: null };

const ACTORS = {
  centre: actor(1, 'requester'),
  direccte: actor(2, 'requester'),
  agent: actor(10, 'agent'),
  expert: actor(20, 'expert'),
  admin: actor(30, 'admin'),
};

const filing = (requester: Filing['requester'], channel: Channel, onBehalf = false): Filing => ({ requester, channel, onBehalf });

describe('canFile', () => {
  test('a requester files for themselves, on the portal, the API or by e-mail, never « by telephone »', () => {
    for (const channel of ['portail', 'api', 'courriel'] as const)
      assert.equal(canFile(ACTORS.centre, filing(centre, channel)), true);
    assert.equal(canFile(ACTORS.centre, filing(centre, 'telephone')), false);
  });

  test('a requester never files for another account', () => {
    assert.equal(canFile(ACTORS.centre, filing(direccte, 'portail')), false);
    assert.equal(canFile(ACTORS.direccte, filing(centre, 'portail')), false);
  });

  test('only a regional requester files « pour le compte de »', () => {
    assert.equal(canFile(ACTORS.direccte, filing(direccte, 'portail', true)), true);
    assert.equal(canFile(ACTORS.centre, filing(centre, 'portail', true)), false);
  });

  test('the desk files for an active requester, by telephone or e-mail only', () => {
    for (const who of ['agent', 'expert', 'admin'] as const) {
      assert.equal(canFile(ACTORS[who], filing(centre, 'telephone')), true, who);
      assert.equal(canFile(ACTORS[who], filing(centre, 'courriel')), true, who);
      assert.equal(canFile(ACTORS[who], filing(centre, 'portail')), false, who);
      assert.equal(canFile(ACTORS[who], filing(centre, 'api')), false, who);
      assert.equal(canFile(ACTORS[who], filing(direccte, 'telephone', true)), true, who);
      assert.equal(canFile(ACTORS[who], filing(centre, 'telephone', true)), false, who);
    }
  });

  test('nobody files for an inactive account or a desk member’s account', () => {
    for (const who of Object.keys(ACTORS) as (keyof typeof ACTORS)[]) {
      assert.equal(canFile(ACTORS[who], filing(gone, 'telephone')), false, who);
      assert.equal(canFile(ACTORS[who], filing(gone, 'portail')), false, who);
      assert.equal(canFile(ACTORS[who], filing(agentAccount, 'telephone')), false, who);
    }
    assert.equal(canFile(ACTORS.agent, filing(agentAccount, 'portail')), false);
  });
});

describe('parseOnBehalf', () => {
  test('unticked: nothing, whatever the fields hold', () => {
    assert.equal(parseOnBehalf({ onBehalfName: 'Jean DUPONT', onBehalfEmail: 'x' }), null);
  });

  test('ticked: name and address required, the address well formed, no line breaks', () => {
    const errors = (raw: Record<string, string>) => {
      try {
        parseOnBehalf({ onBehalf: 'oui', ...raw });
        return {};
      } catch (error) {
        assert.ok(error instanceof ValidationError);
        return error.fields;
      }
    };
    assert.deepEqual(Object.keys(errors({})).sort(), ['onBehalfEmail', 'onBehalfName']);
    assert.match(errors({ onBehalfName: 'Jean', onBehalfEmail: 'jean@' }).onBehalfEmail ?? '', /Format attendu/);
    assert.match(
      errors({ onBehalfName: 'Jean\r\nBcc: x@y.fr', onBehalfEmail: 'jean@ud.fr' }).onBehalfName ?? '',
      /sur une ligne/,
    );
    assert.deepEqual(
      parseOnBehalf({ onBehalf: 'oui', onBehalfName: ' Jean DUPONT ', onBehalfEmail: 'jean@ud.fr', onBehalfCopy: 'oui' }),
      {
        name: 'Jean DUPONT',
        email: 'jean@ud.fr',
        copy: true,
      },
    );
  });

  test('the desk’s channel is telephone or e-mail', () => {
    assert.equal(parseCallerChannel('telephone'), 'telephone');
    assert.equal(parseCallerChannel('courriel'), 'courriel');
    for (const raw of ['portail', 'api', '', undefined]) assert.throws(() => parseCallerChannel(raw), ValidationError);
  });
});
