/**
 * Notifications of a request's life over a real SMTP server: who receives each one, with a link
 * that opens the request for them, a reply address proper to the request and the recipient, and
 * threading headers; nothing internal ever goes out; each mail goes once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { transaction } from '../src/db/client.js';
import { requests } from '../src/db/schema.js';
import { parseReplyAddress } from '../src/domain/notifications/reply-address.js';
import { notifyAutoCloseReminder, notifyFiled } from '../src/domain/notifications/request-notifications.js';
import { actionFields, actorOf, count, createUser, rows } from './support/factories.js';
import { PNG, Visitor } from './support/http.js';
import { type Delivered, linkPath, MailedPortal, REPLY_BASE, to } from './support/notifications.js';
import { DATABASE_KINDS } from './support/portal.js';

const REQUESTER = 'demandeur@demo.assistance.localhost';
const AGENT = 'agent@demo.assistance.localhost';
const EXPERT = 'expert@demo.assistance.localhost';
const ADMIN = 'admin@demo.assistance.localhost';
const SECRET = 'NOTE-INTERNE-CONFIDENTIELLE';

for (const kind of DATABASE_KINDS) {
  describe(`notifications of a request's life (${kind})`, () => {
    const m = new MailedPortal();
    const visitors = new Map<string, Visitor>();

    before(async () => {
      await m.start(kind);
      // Agents of CERES with each preference, one of another application; an expert of another application.
      await createUser(m.db, 'n1-digest', 'agent', ['CERES']);
      await createUser(m.db, 'n1-aucun', 'agent', ['CERES']);
      await createUser(m.db, 'n1-ariane', 'agent', ['ARIANE']);
      await createUser(m.db, 'n2-ceres', 'expert', ['CERES']);
      await createUser(m.db, 'n2-pse', 'expert', ['PSE']);
      await m.db.execute(sql`update users set notify_new_requests = 'digest' where login = 'n1-digest'`);
      await m.db.execute(sql`update users set notify_new_requests = 'none' where login = 'n1-aucun'`);
    });
    after(() => m.stop());

    async function as(login: string): Promise<Visitor> {
      let visitor = visitors.get(login);
      if (!visitor) {
        visitor = await new Visitor(m.portal.app).login(login);
        visitors.set(login, visitor);
      }
      return visitor;
    }

    /** The mail's link opens the request for `login`. */
    async function opens(mail: Delivered | undefined, login: string, number: number) {
      assert.ok(mail, `a mail for ${login}`);
      const path = linkPath(mail);
      assert.equal(path, `/demandes/${number}`);
      assert.equal((await (await as(login)).get(path)).statusCode, 200);
    }

    const nothingInternal = (mails: Delivered[]) => {
      for (const mail of mails) assert.doesNotMatch(`${mail.subject}\n${mail.text}`, new RegExp(SECRET));
    };

    test('a new request: the receipt to the requester, and the agents of the application who chose « at once »', async () => {
      await m.reset();
      const number = await m.file('demandeur', { subject: 'Accès refusé au module des sessions', blocking: true });
      const mails = await m.deliver();
      const [receipt] = to(mails, REQUESTER);
      assert.equal(to(mails, REQUESTER).length, 1);
      assert.match(receipt?.subject ?? '', new RegExp(`^\\[Demande n° ${number}\\] Accusé de réception : Accès refusé`));
      assert.match(receipt?.text ?? '', new RegExp(`Votre demande n° ${number} « Accès refusé au module des sessions »`));
      await opens(receipt, 'demandeur', number);
      const [fresh] = to(mails, AGENT);
      assert.match(fresh?.subject ?? '', /Nouvelle demande \(CERES\)/);
      assert.match(fresh?.text ?? '', /Hélène RIVIÈRE[\s\S]*Bloquant/);
      await opens(fresh, 'agent', number);
      // Digest, none, another application, experts and administrators: nothing now.
      for (const login of ['n1-digest', 'n1-aucun', 'n1-ariane', 'n2-ceres']) {
        assert.equal(to(mails, `${login}@test.localhost`).length, 0, login);
      }
      assert.equal(to(mails, EXPERT).length + to(mails, ADMIN).length, 0);
      assert.equal(mails.length, 2);
    });

    test('a requester’s mail replies to an address of the request and the person, and threads with the request', async () => {
      await m.reset();
      const number = await m.file('demandeur', { subject: 'Fil de discussion' });
      await m.act('agent', number, 'ask_info', { message: 'Quel navigateur utilisez-vous ?' });
      const mails = to(await m.deliver(), REQUESTER);
      assert.equal(mails.length, 2);
      const demandeur = await actorOf(m.db, 'demandeur');
      const ids = new Set<string>();
      for (const mail of mails) {
        assert.equal(mail.from?.value[0]?.address, 'ne-pas-repondre@assistance.localhost');
        const replyTo = mail.replyTo?.value[0]?.address ?? '';
        assert.deepEqual(parseReplyAddress(replyTo, REPLY_BASE, m.portal.config.sessionSecret), {
          requestNumber: number,
          userId: demandeur.id,
        });
        assert.match(mail.messageId ?? '', /^<outbox-\d+\.[0-9a-f]+@assistance\.localhost>$/);
        ids.add(mail.messageId ?? '');
        assert.equal(mail.inReplyTo, `<demande-${number}@assistance.localhost>`);
        assert.deepEqual([mail.references].flat(), [`<demande-${number}@assistance.localhost>`]);
        assert.equal(mail.headers.get('auto-submitted'), 'auto-generated');
      }
      assert.equal(ids.size, 2);
      const [, complement] = mails;
      assert.match(complement?.subject ?? '', /Complément d’information demandé/);
      assert.match(complement?.text ?? '', /Quel navigateur utilisez-vous \?/);
      // Only a requester's reply to an open request is added to it: the mail says so, and only then.
      assert.match(complement?.text ?? '', /Vous pouvez répondre à ce courriel : votre réponse sera ajoutée à la demande\./);
      await opens(complement, 'demandeur', number);
      // The address the agent's mail replies to is the agent's own, not the requester's.
      const [agentMail] = to(await m.deliver(), AGENT);
      const agent = await actorOf(m.db, 'agent');
      assert.match(agentMail?.text ?? '', /merci de ne pas y répondre/);
      assert.equal(
        parseReplyAddress(agentMail?.replyTo?.value[0]?.address ?? '', REPLY_BASE, m.portal.config.sessionSecret)?.userId,
        agent.id,
      );
    });

    test('a request’s life: information added, answer with its files, refusal, closing — each to the right people', async () => {
      await m.reset();
      const number = await m.file('demandeur', { subject: 'Export impossible' });
      await m.act('agent', number, 'take');
      await m.act('agent', number, 'internal_note', { message: `${SECRET} : piste du cache` });
      await m.act('agent', number, 'ask_info', { message: 'Merci de joindre une capture.' });
      await m.deliver();
      await m.reset();

      await m.act('demandeur', number, 'add_info', { message: 'Voici les étapes suivies.' });
      let mails = await m.deliver();
      assert.deepEqual(
        mails.flatMap((x) => x.to_),
        [AGENT],
        'only the assignee hears of the information added',
      );
      assert.match(mails[0]?.subject ?? '', /Information ajoutée par le demandeur/);
      assert.match(mails[0]?.text ?? '', /Voici les étapes suivies\./);
      await opens(mails[0], 'agent', number);

      // The answer, sent through the page with a file: the file goes along with the mail.
      await m.reset();
      const agent = await as('agent');
      const form = actionFields((await agent.get(`/demandes/${number}`)).body, 'resolve');
      const resolved = await agent.postMultipart(
        `/demandes/${number}/actions`,
        {
          _csrf: form.csrf,
          action: 'resolve',
          version: form.version,
          token: form.token,
          message: 'Videz le cache puis réessayez.',
        },
        [['files', 'procedure.png', PNG]],
      );
      assert.equal(resolved.statusCode, 303, resolved.body.slice(0, 300));
      mails = await m.deliver();
      const [answer] = to(mails, REQUESTER);
      assert.equal(mails.length, 1);
      assert.match(answer?.subject ?? '', /Votre demande a été traitée/);
      assert.match(answer?.text ?? '', /Videz le cache puis réessayez\.[\s\S]*Documents joints à ce courriel : procedure\.png/);
      assert.equal(answer?.attachments.length, 1);
      assert.equal(answer?.attachments[0]?.filename, 'procedure.png');
      assert.deepEqual(answer?.attachments[0]?.content, PNG);
      await opens(answer, 'demandeur', number);

      await m.reset();
      await m.act('demandeur', number, 'refuse', { message: 'Le cache est déjà vide.' });
      mails = await m.deliver();
      assert.deepEqual(
        mails.flatMap((x) => x.to_),
        [AGENT],
      );
      assert.match(mails[0]?.subject ?? '', /Réponse refusée par le demandeur/);
      assert.match(mails[0]?.text ?? '', /Le cache est déjà vide\./);
      await opens(mails[0], 'agent', number);

      await m.reset();
      await m.act('agent', number, 'resolve', { message: 'Correctif déployé.' });
      await m.act('demandeur', number, 'accept');
      mails = to(await m.deliver(), REQUESTER);
      assert.equal(mails.length, 2);
      assert.match(mails[1]?.subject ?? '', /Votre demande a été clôturée/);
      assert.match(mails[1]?.text ?? '', /la réponse de l’assistance vous convient/);
      await opens(mails[1], 'demandeur', number);
      nothingInternal(mails);
      const all = await rows<{ body: string }>(m.db, sql`select body from outbox`);
      assert.ok(
        all.every((r) => !r.body.includes(SECRET)),
        'no internal note in any mail',
      );
    });

    test('answer files over 5 MB in all are not attached: the mail names them and links to the request', async () => {
      await m.reset();
      const number = await m.file('demandeur', { subject: 'Gros fichiers' });
      const agent = await as('agent');
      const form = actionFields((await agent.get(`/demandes/${number}`)).body, 'resolve');
      const big = Buffer.alloc(3 * 1024 * 1024, 'a');
      const resolved = await agent.postMultipart(
        `/demandes/${number}/actions`,
        { _csrf: form.csrf, action: 'resolve', version: form.version, token: form.token, message: 'Voir les journaux joints.' },
        [
          ['files', 'journal-1.txt', big],
          ['files', 'journal-2.txt', big],
        ],
      );
      assert.equal(resolved.statusCode, 303, resolved.body.slice(0, 300));
      const [answer] = to(await m.deliver(), REQUESTER).filter((x) => /traitée/.test(x.subject ?? ''));
      assert.equal(answer?.attachments.length, 0);
      assert.match(
        answer?.text ?? '',
        /Documents joints à la réponse, à télécharger depuis la page de la demande : journal-1\.txt, journal-2\.txt/,
      );
      await opens(answer, 'demandeur', number);
    });

    test('a request closed as a duplicate tells its requester it is « clôturée »', async () => {
      const original = await m.file('demandeur', { subject: 'Première demande' });
      const duplicate = await m.file('demandeur', { subject: 'Même demande' });
      await m.reset();
      await m.act('agent', duplicate, 'mark_duplicate', { duplicateOfNumber: original });
      const mails = await m.deliver();
      assert.deepEqual(
        mails.flatMap((x) => x.to_),
        [REQUESTER],
      );
      assert.equal(mails[0]?.subject, `[Demande n° ${duplicate}] Votre demande a été clôturée`);
      assert.match(mails[0]?.text ?? '', /doublon d’une autre demande/);
      await opens(mails[0], 'demandeur', duplicate);
    });

    test('information added to an unassigned request goes to the agents of its level for the application', async () => {
      await m.reset();
      const number = await m.file('demandeur', { subject: 'Sans gestionnaire' });
      await m.deliver();
      await m.reset();
      await m.act('demandeur', number, 'add_info', { message: 'Précision.' });
      const mails = await m.deliver();
      const recipients = mails.flatMap((x) => x.to_).sort();
      // Every level-1 agent of CERES (whatever their new-request preference), not those of other applications.
      assert.deepEqual(recipients, [AGENT, 'n1-aucun@test.localhost', 'n1-digest@test.localhost'].sort());
    });

    test('escalation tells the experts of the application, without the private message; assignment tells the new assignee', async () => {
      await m.reset();
      const number = await m.file('demandeur', { subject: 'Erreur de calcul des sessions' });
      await m.deliver();
      await m.reset();
      await m.act('agent', number, 'escalate', { message: `${SECRET} : voir la base` });
      let mails = await m.deliver();
      assert.deepEqual(mails.flatMap((x) => x.to_).sort(), [EXPERT, 'n2-ceres@test.localhost'].sort());
      assert.match(mails[0]?.subject ?? '', /Transmise au niveau 2/);
      assert.match(mails[0]?.text ?? '', /Sophie LAMBERT a transmis/);
      await opens(to(mails, EXPERT)[0], 'expert', number);
      nothingInternal(mails);

      // Taking it oneself tells nobody; giving it to someone else tells them.
      await m.reset();
      await m.act('expert', number, 'take');
      assert.equal((await m.deliver()).length, 0);
      const colleague = await actorOf(m.db, 'n2-ceres');
      await m.act('expert', number, 'reassign', { assigneeId: colleague.id });
      mails = await m.deliver();
      assert.deepEqual(
        mails.flatMap((x) => x.to_),
        ['n2-ceres@test.localhost'],
      );
      assert.match(mails[0]?.subject ?? '', /Demande qui vous est assignée/);
      assert.match(mails[0]?.text ?? '', /Marc DELORME vous a assigné/);
      await opens(mails[0], 'n2-ceres', number);
      assert.equal(to(mails, REQUESTER).length, 0);
    });

    test('the copy for the person a request was filed for holds the answer only: no link, no reply address', async () => {
      await m.reset();
      const number = await m.file('direccte', { subject: 'Pour une unité départementale' });
      await m.db.execute(sql`update requests set on_behalf_name = 'Paul Martin', on_behalf_email = 'paul.martin@ud.localhost',
        on_behalf_copy = true where number = ${number}`);
      await m.act('agent', number, 'resolve', { message: 'Le titre est à renouveler.' });
      const mails = await m.deliver();
      const [copy] = to(mails, 'paul.martin@ud.localhost');
      assert.ok(copy);
      assert.match(
        copy.text ?? '',
        /Bonjour Paul Martin,[\s\S]*Yannick LE GOFF a déposé pour votre compte[\s\S]*Le titre est à renouveler\./,
      );
      assert.doesNotMatch(copy.text ?? '', /https?:\/\//);
      assert.doesNotMatch(copy.text ?? '', /demandes\//);
      assert.equal(copy.replyTo, undefined);
      // The requester's own answer is there too, with its link.
      await opens(to(mails, 'direccte@demo.assistance.localhost')[0], 'direccte', number);
      // No copy when it was not asked for.
      await m.reset();
      const other = await m.file('direccte', { subject: 'Sans copie' });
      await m.db.execute(sql`update requests set on_behalf_name = 'Paul Martin', on_behalf_email = 'paul.martin@ud.localhost'
        where number = ${other}`);
      await m.act('agent', other, 'resolve', { message: 'Réponse.' });
      assert.equal(to(await m.deliver(), 'paul.martin@ud.localhost').length, 0);
    });

    test('the reminder before automatic closing names the date, and goes once however often it is asked', async () => {
      await m.reset();
      const number = await m.file('demandeur', { subject: 'Sans nouvelles' });
      await m.act('agent', number, 'resolve', { message: 'Voici la réponse.' });
      const [request] = await rows<{ id: string }>(m.db, sql`select id from requests where number = ${number}`);
      for (let i = 0; i < 2; i++) {
        await transaction(m.db, async (tx) => {
          const [row] = await tx
            .select()
            .from(requests)
            .where(eq(requests.id, Number(request?.id)));
          await notifyAutoCloseReminder(tx, row!, new Date('2026-12-15T10:00:00Z'), m.context);
        });
      }
      const mails = to(await m.deliver(), REQUESTER).filter((x) => /clôturée le/.test(x.subject ?? ''));
      assert.equal(mails.length, 1);
      assert.match(mails[0]?.subject ?? '', new RegExp(`\\[Demande n° ${number}\\] Votre demande sera clôturée le 15/12/2026`));
      await opens(mails[0], 'demandeur', number);
    });

    test('a notification asked twice (a retried transaction, a double call) goes once', async () => {
      await m.reset();
      const number = await m.file('demandeur', { subject: 'Appel en double' });
      await transaction(m.db, async (tx) => {
        const [row] = await tx.select().from(requests).where(eq(requests.number, number));
        await notifyFiled(tx, row!, m.context);
        await notifyFiled(tx, row!, m.context);
      });
      const mails = await m.deliver();
      assert.equal(to(mails, REQUESTER).length, 1);
      assert.equal(to(mails, AGENT).length, 1);
      assert.equal(
        await count(
          m.db,
          sql`select count(*) as n from outbox o join requests r on r.id = o.request_id where r.number = ${number}`,
        ),
        2,
      );
    });

    test('a permanent refusal shows on the request page to staff, never to the requester', async () => {
      await m.reset();
      await createUser(m.db, 'adresse-refusee', 'requester', ['CERES']);
      m.sink.reject.add('adresse-refusee@test.localhost');
      try {
        const number = await m.file('adresse-refusee', { subject: 'Adresse qui refuse' });
        await m.deliver();
        const [row] = await rows<{ status: string }>(
          m.db,
          sql`select o.status from outbox o join requests r on r.id = o.request_id
              where r.number = ${number} and o.kind = 'receipt'`,
        );
        assert.equal(row?.status, 'failed');
        const staffPage = await (await as('agent')).get(`/demandes/${number}`);
        assert.match(
          staffPage.body,
          /fr-alert--warning[\s\S]*?Le courriel « Accusé de réception » à adresse-refusee@test\.localhost n’a pas pu être envoyé : [^<]*550/,
        );
        const own = await (await as('adresse-refusee')).get(`/demandes/${number}`);
        assert.equal(own.statusCode, 200);
        assert.doesNotMatch(own.body, /n’a pas pu être envoyé/);
      } finally {
        m.sink.reject.clear();
      }
    });
  });
}
