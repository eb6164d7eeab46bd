/**
 * Replies by e-mail over real SMTP: a notification goes out through the outbox to a sink, the
 * requester answers its Reply-To address through the portal's inbound listener. A reply adds
 * « J'ajoute une information » once; forged tokens and other senders are refused and logged;
 * automatic messages add nothing and send nothing.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { FileStore } from '../src/domain/attachments/store.js';
import { listInbound } from '../src/domain/inbound/record.js';
import { InboundSmtpListener } from '../src/jobs/inbound-smtp.js';
import { createUser, fileAs, footprint, rows, storedFiles } from './support/factories.js';
import { PNG, Visitor } from './support/http.js';
import {
  act,
  addedInfo,
  countOf,
  deliverOutbox,
  type InboundHarness,
  inboundRow,
  lastNotification,
  REPLY_BASE,
  REQUESTER_EMAIL,
  replyTo,
  replyToOf,
  sendInbound,
  startInboundHarness,
} from './support/inbound.js';
import { mailsTo } from './support/mail-sink.js';
import { DATABASE_KINDS } from './support/portal.js';

let sequence = 0;
const newMessageId = () => `<reponse-${Date.now()}-${++sequence}@exemple.fr>`;

for (const kind of DATABASE_KINDS) {
  describe(`replies by e-mail (${kind})`, () => {
    let h: InboundHarness;

    before(async () => {
      h = await startInboundHarness(kind);
    });
    after(async () => {
      await h?.close();
    });

    /** A request of the requester on which the agent asked for information; returns the notification. */
    async function awaitingInfo(subject: string) {
      const number = await fileAs(h.portal, 'demandeur', { subject });
      await act(h, 'agent', number, 'ask_info', 'Quel est votre numéro de SIRET ?');
      return { number, notification: await lastNotification(h, number) };
    }

    /** Nothing reached anyone: no row in the outbox, no message at the SMTP sink. */
    async function assertNothingSent(outboxBefore: number, sinkBefore: number) {
      await deliverOutbox(h);
      assert.equal(await countOf(h, sql`select count(*) as n from outbox`), outboxBefore);
      assert.equal(h.sink.messages.length, sinkBefore);
    }

    test('a reply to the notification adds the text once, without the quoted part, and notifies as the web form does', async () => {
      const { number, notification } = await awaitingInfo('Réponse par courriel');
      assert.match(replyToOf(notification), /^reponse\+\d+-\d+-[0-9a-f]+@assistance\.localhost$/);
      const messageId = newMessageId();
      const outboxBefore = await countOf(h, sql`select max(id) as n from outbox`);
      await sendInbound(h, { ...replyTo(notification, 'Bonjour,\n\nMon SIRET est 123 456 789 00012.\n\n-- \nMarie'), messageId });

      const added = await addedInfo(h, number);
      assert.equal(added.length, 1);
      assert.equal(added[0]?.body, 'Bonjour,\n\nMon SIRET est 123 456 789 00012.');
      const [request] = await rows<{ status: string }>(
        h.portal.database.db,
        sql`select status from requests where number = ${number}`,
      );
      assert.equal(request?.status, 'in_progress');
      const row = await inboundRow(h, messageId);
      assert.equal(row?.outcome, 'added');
      assert.equal(row?.channel, 'smtp');
      assert.equal(Number(row?.event_id), Number(added[0]?.id));

      // The same notifications as « J'ajoute une information » on the web form, on a twin request.
      const kindsOf = async (n: number) =>
        (
          await rows<{ kind: string }>(
            h.portal.database.db,
            sql`select o.kind from outbox o join requests r on r.id = o.request_id
                where r.number = ${n} and o.id > ${outboxBefore} order by o.kind`,
          )
        ).map((r) => r.kind);
      const twin = await awaitingInfo('Réponse par le portail');
      const twinBefore = await countOf(h, sql`select max(id) as n from outbox`);
      await act(h, 'demandeur', twin.number, 'add_info', 'Mon SIRET est 123 456 789 00012.');
      const twinKinds = (
        await rows<{ kind: string }>(
          h.portal.database.db,
          sql`select o.kind from outbox o join requests r on r.id = o.request_id
              where r.number = ${twin.number} and o.id > ${twinBefore} order by o.kind`,
        )
      ).map((r) => r.kind);
      assert.deepEqual(await kindsOf(number), twinKinds);
      assert.notEqual(twinKinds.length, 0, 'the web form notifies someone');
    });

    test('the same message delivered twice adds nothing the second time', async () => {
      const { number, notification } = await awaitingInfo('Livré deux fois');
      const message = { ...replyTo(notification, 'Une seule fois, merci.'), messageId: newMessageId() };
      await sendInbound(h, message);
      const outboxAfterFirst = await countOf(h, sql`select count(*) as n from outbox`);
      await sendInbound(h, message);
      assert.equal((await addedInfo(h, number)).length, 1);
      assert.equal(await countOf(h, sql`select count(*) as n from inbound_messages where message_id = ${message.messageId}`), 1);
      assert.equal(await countOf(h, sql`select count(*) as n from outbox`), outboxAfterFirst);

      // Without a Message-ID, the message's hash stands for it.
      const raw =
        `From: ${REQUESTER_EMAIL}\r\nTo: ${replyToOf(notification)}\r\nSubject: RE: sans identifiant\r\n` +
        'Content-Type: text/plain; charset=utf-8\r\n\r\nSans identifiant de message.\r\n';
      await sendInbound(h, { to: replyToOf(notification), envelopeFrom: REQUESTER_EMAIL, raw });
      await sendInbound(h, { to: replyToOf(notification), envelopeFrom: REQUESTER_EMAIL, raw });
      assert.deepEqual(
        (await addedInfo(h, number)).map((e) => e.body),
        ['Une seule fois, merci.', 'Sans identifiant de message.'],
      );
      assert.equal(await countOf(h, sql`select count(*) as n from inbound_messages where message_id like 'sha256:%'`), 1);
    });

    test('a forged or altered token is refused and logged; nothing is added', async () => {
      const { number, notification } = await awaitingInfo('Jeton falsifié');
      const genuine = replyToOf(notification);
      const forged = genuine.replace(
        /-([0-9a-f])([0-9a-f]*)@/,
        (_m, c: string, rest: string) => `-${c === 'a' ? 'b' : 'a'}${rest}@`,
      );
      const otherRequest = genuine.replace(/\+(\d+)-/, (_m, n: string) => `+${Number(n) + 1}-`);
      for (const to of [forged, otherRequest, REPLY_BASE]) {
        const before = await footprint(h.portal.database.db, number);
        const messageId = newMessageId();
        await sendInbound(h, { ...replyTo(notification, 'Texte forgé.'), to, messageId });
        assert.deepEqual(await footprint(h.portal.database.db, number), before);
        const row = await inboundRow(h, messageId);
        assert.equal(row?.outcome, 'refused');
        assert.equal(row?.reason, 'adresse de réponse inconnue ou altérée');
        assert.equal(
          await countOf(
            h,
            sql`select count(*) as n from audit_log where action = 'inbound.refused' and details->>'messageId' = ${messageId}`,
          ),
          1,
        );
      }
    });

    test('an address of another domain is refused at RCPT with 550', async () => {
      await assert.rejects(
        sendInbound(h, { from: REQUESTER_EMAIL, to: 'quelquun@ailleurs.example', subject: 'Relais ?', text: 'Relais ?' }),
        (error: { responseCode?: number }) => error.responseCode === 550,
      );
    });

    test('the right token from another sender is refused and logged', async () => {
      const { number, notification } = await awaitingInfo('Autre expéditeur');
      const before = await footprint(h.portal.database.db, number);
      const messageId = newMessageId();
      await sendInbound(h, { ...replyTo(notification, 'Je ne suis pas Marie.'), from: 'intrus@exemple.fr', messageId });
      assert.deepEqual(await footprint(h.portal.database.db, number), before);
      const row = await inboundRow(h, messageId);
      assert.equal(row?.outcome, 'refused');
      assert.match(row?.reason ?? '', /expéditeur/);
      const [request] = await rows<{ id: unknown }>(h.portal.database.db, sql`select id from requests where number = ${number}`);
      assert.equal(Number(row?.request_id), Number(request?.id));
      const [entry] = await rows<{ target: string; details: { from: string } }>(
        h.portal.database.db,
        sql`select target, details from audit_log where action = 'inbound.refused' and details->>'messageId' = ${messageId}`,
      );
      assert.equal(entry?.target, `demande ${number}`);
      assert.equal(entry?.details.from, 'intrus@exemple.fr');
    });

    test('a reply from a disabled account is refused and logged', async () => {
      const user = await createUser(h.portal.database.db, `parti-${kind}`, 'requester');
      const number = await fileAs(h.portal, user.login, { subject: 'Compte désactivé' });
      await act(h, 'agent', number, 'ask_info', 'Précisez.');
      const [sent] = await rows<{ reply_to: string }>(
        h.portal.database.db,
        sql`select o.reply_to from outbox o join requests r on r.id = o.request_id
            where r.number = ${number} and o.reply_to is not null order by o.id desc limit 1`,
      );
      assert.ok(sent?.reply_to);
      await h.portal.database.db.execute(sql`update users set active = false where id = ${user.id}`);
      const before = await footprint(h.portal.database.db, number);
      const messageId = newMessageId();
      await sendInbound(h, {
        from: `${user.login}@test.localhost`,
        to: sent.reply_to,
        subject: 'RE: précision',
        text: 'Voici.',
        messageId,
      });
      assert.deepEqual(await footprint(h.portal.database.db, number), before);
      const row = await inboundRow(h, messageId);
      assert.equal(row?.outcome, 'refused');
      assert.equal(row?.reason, 'compte inconnu ou désactivé');
      assert.equal(
        await countOf(
          h,
          sql`select count(*) as n from audit_log where action = 'inbound.refused' and details->>'messageId' = ${messageId}`,
        ),
        1,
      );
    });

    test('auto-replies, bulk mail and bounces are ignored: nothing added, nothing sent', async () => {
      const { number, notification } = await awaitingInfo('Réponses automatiques');
      const dsn = [
        '--dsn',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Le message n’a pas pu être remis.',
        '--dsn',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.exemple.fr',
        '',
        `Final-Recipient: rfc822; ${REQUESTER_EMAIL}`,
        'Action: failed',
        'Status: 5.1.1',
        '--dsn--',
        '',
      ].join('\r\n');
      const cases = [
        { ...replyTo(notification, 'Je suis absente jusqu’au 10 mars.'), headers: { 'Auto-Submitted': 'auto-replied' } },
        { ...replyTo(notification, 'Lettre d’information.'), headers: { Precedence: 'bulk' } },
        { ...replyTo(notification, 'Absente.'), subject: `Réponse automatique : ${notification.subject}` },
        {
          envelopeFrom: '',
          to: replyToOf(notification),
          raw:
            `From: Mail Delivery System <MAILER-DAEMON@mx.exemple.fr>\r\nTo: ${replyToOf(notification)}\r\n` +
            `Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: ${newMessageId()}\r\nMIME-Version: 1.0\r\n` +
            `Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"\r\n\r\n${dsn}`,
        },
      ];
      for (const message of cases) {
        await deliverOutbox(h);
        const before = await footprint(h.portal.database.db, number);
        const sinkBefore = h.sink.messages.length;
        const messageId = message.raw ? /Message-ID: (\S+)/.exec(String(message.raw))![1]! : newMessageId();
        await sendInbound(h, message.raw ? message : { ...message, messageId });
        assert.deepEqual(await footprint(h.portal.database.db, number), before);
        assert.equal((await inboundRow(h, messageId))?.outcome, 'ignored');
        await assertNothingSent(before.outbox, sinkBefore);
      }
      assert.equal((await addedInfo(h, number)).length, 0);
    });

    test('a PNG attached to a reply is kept, an executable dropped and named', async () => {
      const { number, notification } = await awaitingInfo('Pièces jointes');
      const filesBefore = storedFiles(h.portal).length;
      const messageId = newMessageId();
      const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(200)]);
      await sendInbound(h, {
        ...replyTo(notification, 'Voici la capture.'),
        messageId,
        attachments: [
          { filename: 'capture.png', content: PNG, contentType: 'image/png' },
          { filename: 'outil.exe', content: exe, contentType: 'application/octet-stream' },
          // The logo of a signature, shown in the HTML part: not a document of the request.
          { filename: 'logo.png', content: PNG, contentType: 'image/png', cid: 'logo@signature', contentDisposition: 'inline' },
        ],
        html: '<p>Voici la capture.</p><p><img src="cid:logo@signature" alt="Logo"></p>',
      });
      const [added] = await addedInfo(h, number);
      assert.match(added?.body ?? '', /^Voici la capture\./);
      assert.match(added?.body ?? '', /outil\.exe/);
      const files = await rows<{ original_name: string; media_type: string }>(
        h.portal.database.db,
        sql`select original_name, media_type from attachments where event_id = ${added?.id}`,
      );
      assert.deepEqual(files, [{ original_name: 'capture.png', media_type: 'image/png' }]);
      assert.equal(storedFiles(h.portal).length, filesBefore + 1);
      const row = await inboundRow(h, messageId);
      assert.equal(row?.outcome, 'added');
      assert.match(row?.reason ?? '', /outil\.exe/);
    });

    test('a reply with nothing but the quoted notification is refused as empty', async () => {
      const { number, notification } = await awaitingInfo('Réponse vide');
      const messageId = newMessageId();
      await sendInbound(h, { ...replyTo(notification, ''), messageId });
      assert.equal((await addedInfo(h, number)).length, 0);
      assert.equal((await inboundRow(h, messageId))?.reason, 'message vide');
    });

    test('a reply to a closed request is refused, and the person told once where to go', async () => {
      const { number, notification } = await awaitingInfo('Demande close');
      await act(h, 'demandeur', number, 'add_info', 'Voici.');
      await act(h, 'agent', number, 'resolve', 'C’est réglé.');
      await act(h, 'demandeur', number, 'accept');
      await deliverOutbox(h);
      const message = { ...replyTo(notification, 'Encore une question.'), messageId: newMessageId() };
      const before = await footprint(h.portal.database.db, number);
      await sendInbound(h, message);
      await sendInbound(h, message);
      assert.equal((await footprint(h.portal.database.db, number)).events, before.events);
      const row = await inboundRow(h, message.messageId);
      assert.equal(row?.outcome, 'refused');
      assert.match(row?.reason ?? '', /n’accepte plus/);
      await deliverOutbox(h);
      const answers = (await mailsTo(h.sink, REQUESTER_EMAIL)).filter((m) => /n’a pas été ajouté/.test(m.subject ?? ''));
      assert.equal(answers.length, 1);
      assert.match(answers[0]?.text ?? '', new RegExp(`/demandes/${number}`));
      assert.match(String(answers[0]?.headers.get('auto-submitted') ?? ''), /^auto-replied/);
      assert.equal(answers[0]?.inReplyTo, message.messageId);
    });

    test('« Courriels reçus » lists every message with its outcome and reason, newest first, for administrators only', async () => {
      const { notification } = await awaitingInfo('Liste des courriels reçus');
      const refused = newMessageId();
      await sendInbound(h, {
        ...replyTo(notification, 'Absente.'),
        messageId: newMessageId(),
        headers: { 'X-Autoreply': 'yes' },
      });
      await sendInbound(h, { ...replyTo(notification, 'Pas moi.'), from: 'liste-intrus@exemple.fr', messageId: refused });
      const admin = await new Visitor(h.portal.app).login('admin');
      const page = await admin.get('/admin/courriels-recus');
      assert.equal(page.statusCode, 200);
      const text = page.body;
      assert.ok(text.includes('liste-intrus@exemple.fr'));
      assert.ok(text.includes('>Refusé<'));
      assert.ok(text.includes('l’expéditeur n’est pas le destinataire de la notification'));
      assert.ok(text.includes('réponse automatique (en-tête X-Autoreply)'));
      assert.ok((await admin.get('/admin')).body.includes('href="/admin/courriels-recus"'));
      const agent = await new Visitor(h.portal.app).login('agent');
      assert.equal((await agent.get('/admin/courriels-recus')).statusCode, 403);

      // Keyset pages: each row once, newest first.
      const all = await listInbound(h.portal.database.db, undefined, 1000);
      assert.equal(all.rows[0]?.fromAddress, 'liste-intrus@exemple.fr');
      const seen: number[] = [];
      for (let before: number | undefined, pages = 0; pages < 100; pages++) {
        const chunk = await listInbound(h.portal.database.db, before, 1);
        seen.push(...chunk.rows.map((r) => r.id));
        if (!chunk.next) break;
        before = chunk.next;
      }
      assert.deepEqual(
        seen,
        all.rows.map((r) => r.id),
      );
      const older = await admin.get(`/admin/courriels-recus?avant=${all.rows[0]?.id}`);
      assert.ok(!older.body.includes('liste-intrus@exemple.fr'));
      for (const cursor of ['1e30', '1.5', '-1', 'x']) {
        assert.equal((await admin.get(`/admin/courriels-recus?avant=${cursor}`)).statusCode, 200, cursor);
      }
    });

    test('an HTML-only reply is read as text, its quoted part removed', async () => {
      const { number, notification } = await awaitingInfo('Réponse en HTML');
      const message = replyTo(notification, '');
      await sendInbound(h, {
        ...message,
        text: undefined,
        html: '<div>Le poste est <b>Windows&nbsp;11</b>.</div><blockquote><p>Bonjour Marie DUPONT,</p><p>Quel poste ?</p></blockquote>',
        messageId: newMessageId(),
      });
      assert.deepEqual(
        (await addedInfo(h, number)).map((e) => e.body),
        ['Le poste est Windows\u00a011.'],
      );
    });

    test('a fault while recording answers 451, so the sending server tries again later', async () => {
      const { number, notification } = await awaitingInfo('Panne de disque');
      // A file store whose folder is a plain file: saving the attachment fails, as on a broken disk.
      const broken = join(h.portal.config.dataDir, 'not-a-folder');
      writeFileSync(broken, '');
      const failing = new InboundSmtpListener(
        { db: h.portal.database.db, files: new FileStore(broken), config: h.portal.config },
        { info: () => {}, warn: () => {}, error: () => {} },
      );
      const port = await failing.start('127.0.0.1', 0);
      const message = {
        ...replyTo(notification, 'Voici la capture.'),
        messageId: newMessageId(),
        attachments: [{ filename: 'capture.png', content: PNG, contentType: 'image/png' }],
      };
      try {
        await assert.rejects(
          sendInbound({ ...h, smtpPort: port }, message),
          (error: { responseCode?: number }) => error.responseCode === 451,
        );
      } finally {
        await failing.stop();
      }
      assert.equal(await inboundRow(h, message.messageId), undefined);
      assert.equal((await addedInfo(h, number)).length, 0);
      await sendInbound(h, message);
      assert.equal((await addedInfo(h, number)).length, 1);
    });
  });
}
