/**
 * What people set about notifications, over a real SMTP server: administrators' templates
 * (edit, preview, unknown variable, reset, audit, used by the next mail), agents' preference for
 * new requests and the daily digest; and requests filed while the mail server is down.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { TZDate } from '@date-fns/tz';
import { sql } from 'drizzle-orm';
import { sendDigests } from '../src/jobs/digest.js';
import { count, createUser, errorSummary, fieldError, readForm, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { MailSink } from './support/mail-sink.js';
import { linkPath, MailedPortal, to } from './support/notifications.js';
import { DATABASE_KINDS } from './support/portal.js';

const REQUESTER = 'demandeur@demo.assistance.localhost';
const AGENT = 'agent@demo.assistance.localhost';

/** The CSRF token of a page's form. */
const csrfOf = (html: string) => decodeURIComponent(/name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '');

/** Unescapes the few entities the renderer writes. */
const text = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

for (const kind of DATABASE_KINDS) {
  describe(`notification settings (${kind})`, () => {
    const m = new MailedPortal();
    let admin: Visitor;

    before(async () => {
      await m.start(kind);
      admin = await new Visitor(m.portal.app).login('admin');
    });
    after(() => m.stop());

    test('« Modèles de courriels »: preview, unknown variable, save (audited, used by the next mail), reset', async () => {
      const home = await admin.get('/admin');
      assert.match(home.body, /href="\/admin\/modeles"[^>]*>Modèles de courriels/);
      const list = await admin.get('/admin/modeles');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /href="\/admin\/modeles\/receipt"[^>]*>Accusé de réception/);
      const edit = await admin.get('/admin/modeles/receipt');
      assert.equal(edit.statusCode, 200);
      assert.match(edit.body, /\{\{numero\}\}<\/code> : Numéro de la demande/);
      assert.doesNotMatch(edit.body, /Rétablir le modèle par défaut/);
      const csrf = csrfOf(edit.body);

      // Preview: the form again, with sample values, nothing saved.
      const subject = 'Bien reçu : demande {{numero}}';
      const body = 'Bonjour {{destinataire}},\r\nNous traitons « {{sujet}} ».\r\n{{lien}}';
      const preview = await admin.post('/admin/modeles/receipt', { _csrf: csrf, subject, body, intent: 'preview' });
      assert.equal(preview.statusCode, 200);
      assert.match(
        text(preview.body),
        /Aperçu avec des valeurs d’exemple[\s\S]*Bien reçu : demande 67100[\s\S]*Bonjour Hélène RIVIÈRE,/,
      );
      assert.match(text(preview.body), /value="Bien reçu : demande \{\{numero\}\}"/);
      assert.equal(await count(m.db, sql`select count(*) as n from notification_templates`), 0);

      // An unknown variable: the error next to the field and in the summary, what was typed kept.
      const wrong = await admin.post('/admin/modeles/receipt', {
        _csrf: csrf,
        subject: 'Demande {{numéro}}',
        body,
        intent: 'save',
      });
      assert.equal(wrong.statusCode, 422);
      assert.equal(fieldError(wrong.body, 'subject'), 'Variable inconnue : {{numéro}}. Utilisez celles de la liste.');
      assert.match(errorSummary(wrong.body), /Objet : Variable inconnue/);
      assert.match(text(wrong.body), /value="Demande \{\{numéro\}\}"/);
      const wrongPreview = await admin.post('/admin/modeles/receipt', {
        _csrf: csrf,
        subject,
        body: '{{inconnue}}',
        intent: 'preview',
      });
      assert.equal(wrongPreview.statusCode, 422);
      assert.match(fieldError(wrongPreview.body, 'body'), /Variable inconnue : \{\{inconnue\}\}/);
      assert.equal(await count(m.db, sql`select count(*) as n from notification_templates`), 0);

      const saved = await admin.post('/admin/modeles/receipt', { _csrf: csrf, subject, body, intent: 'save' });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/admin/modeles/receipt?enregistre=1');
      const [audit] = await rows<{ action: string; target: string }>(
        m.db,
        sql`select action, target from audit_log where action like 'template.%' order by id desc limit 1`,
      );
      assert.deepEqual(audit, { action: 'template.update', target: 'template:receipt' });

      // The next receipt uses it.
      await m.reset();
      const number = await m.file('demandeur', { subject: 'Après modification' });
      const [mail] = to(await m.deliver(), REQUESTER);
      assert.equal(mail?.subject, `Bien reçu : demande ${number}`);
      assert.match(mail?.text ?? '', /Bonjour Hélène RIVIÈRE,\nNous traitons « Après modification »\./);
      assert.equal(linkPath(mail!), `/demandes/${number}`);

      // Back to the default.
      const edited = await admin.get('/admin/modeles/receipt?enregistre=1');
      assert.match(edited.body, /Le modèle a été enregistré/);
      assert.match(edited.body, /Rétablir le modèle par défaut/);
      const reset = await admin.post('/admin/modeles/receipt/defaut', { _csrf: csrfOf(edited.body) });
      assert.equal(reset.statusCode, 303);
      assert.equal(await count(m.db, sql`select count(*) as n from audit_log where action = 'template.reset'`), 1);
      await m.reset();
      const later = await m.file('demandeur', { subject: 'Après rétablissement' });
      const [again] = to(await m.deliver(), REQUESTER);
      assert.match(again?.subject ?? '', new RegExp(`^\\[Demande n° ${later}\\] Accusé de réception : Après rétablissement`));
    });

    test('only administrators reach the templates', async () => {
      for (const login of ['agent', 'demandeur']) {
        const visitor = await new Visitor(m.portal.app).login(login);
        assert.equal((await visitor.get('/admin/modeles')).statusCode, 403, login);
        assert.equal((await visitor.get('/admin/modeles/receipt')).statusCode, 403, login);
      }
      assert.equal((await admin.get('/admin/modeles/inconnu')).statusCode, 404);
    });

    test('an agent chooses how to hear of new requests; « none » and « digest » send nothing at filing', async () => {
      const agent = await createUser(m.db, 'pref-agent', 'agent', ['CERES']);
      const visitor = await new Visitor(m.portal.app).login('pref-agent');
      const page = await visitor.get('/mon-compte');
      assert.match(page.body, /Nouvelles demandes de mes applications/);
      assert.match(page.body, /value="immediate"[^>]*checked/);
      const csrf = csrfOf(page.body);
      const mode = async () =>
        (await rows<{ m: string }>(m.db, sql`select notify_new_requests as m from users where id = ${agent.id}`))[0]?.m;
      const filedMailsTo = async () => {
        await m.reset();
        await m.file('demandeur');
        return to(await m.deliver(), 'pref-agent@test.localhost').length;
      };
      assert.equal(await filedMailsTo(), 1);

      for (const choice of ['digest', 'none']) {
        const saved = await visitor.post('/mon-compte/notifications', { _csrf: csrf, notifyNewRequests: choice });
        assert.equal(saved.statusCode, 303);
        assert.equal(await mode(), choice);
        // A digest newly chosen starts from now; another choice forgets it.
        const [{ sent } = { sent: null }] = await rows<{ sent: Date | null }>(
          m.db,
          sql`select digest_sent_at as sent from users where id = ${agent.id}`,
        );
        assert.equal(sent !== null, choice === 'digest');
        assert.equal(await filedMailsTo(), 0, choice);
      }
      const shown = await visitor.get('/mon-compte?fait=notifications');
      assert.match(shown.body, /Vos préférences de notification ont été enregistrées/);
      assert.match(shown.body, /value="none"[^>]*checked/);

      const refused = await visitor.post('/mon-compte/notifications', { _csrf: csrf, notifyNewRequests: 'souvent' });
      assert.equal(refused.statusCode, 422);
      assert.match(
        refused.body,
        /id="notifyNewRequests-fieldset-messages"[^>]*>\s*<p[^>]*>Choisissez une des trois possibilités/,
      );
      assert.match(errorSummary(refused.body), /Nouvelles demandes de mes applications : Choisissez une des trois possibilités/);
      assert.equal(await mode(), 'none');

      // Requesters have no such choice.
      const requester = await new Visitor(m.portal.app).login('demandeur');
      assert.doesNotMatch((await requester.get('/mon-compte')).body, /Nouvelles demandes de mes applications/);
      const token = csrfOf((await requester.get('/mon-compte')).body);
      assert.equal(
        (await requester.post('/mon-compte/notifications', { _csrf: token, notifyNewRequests: 'none' })).statusCode,
        404,
      );
    });

    test('the daily digest: after 08:00 Paris, the new requests of one’s applications, once a day, nothing when empty', async () => {
      await m.db.execute(sql`update users set notify_new_requests = 'none' where role = 'agent'`);
      await createUser(m.db, 'recap-ceres', 'agent', ['CERES']);
      await createUser(m.db, 'recap-ariane', 'agent', ['ARIANE']);
      // Their last digest was just now: the next one lists only the requests filed since.
      await m.db.execute(sql`update users set notify_new_requests = 'digest', digest_sent_at = now()
        where login in ('recap-ceres', 'recap-ariane')`);
      await m.reset();
      const first = await m.file('demandeur', { subject: 'Premier sujet du récapitulatif' });
      const second = await m.file('demandeur', { subject: 'Second sujet du récapitulatif', blocking: true });
      const other = await m.file('demandeur', { subject: 'Autre application', app: 'PSE' });
      await m.deliver();
      await m.reset();

      // Tomorrow at 07:00 and 09:00, Paris time.
      const tomorrow = (hour: number) => {
        const day = new TZDate(Date.now() + 24 * 3600_000, 'Europe/Paris');
        day.setHours(hour, 0, 0, 0);
        return new Date(day.getTime());
      };
      const early = tomorrow(7);
      const due = tomorrow(9);

      assert.equal(await sendDigests(m.db, m.context, early), 0);
      assert.equal(await sendDigests(m.db, m.context, due), 1, 'the ARIANE agent has nothing new: no digest');
      assert.equal(await sendDigests(m.db, m.context, due), 0, 'once a day');
      assert.equal(await sendDigests(m.db, m.context, new Date(due.getTime() + 3600_000)), 0, 'once a day');
      const mails = await m.deliver();
      assert.equal(mails.length, 1);
      const [digest] = to(mails, 'recap-ceres@test.localhost');
      assert.match(digest?.subject ?? '', /Nouvelles demandes de vos applications : 2/);
      assert.match(
        digest?.text ?? '',
        new RegExp(
          `n° ${first} \\(CERES\\) : Premier sujet du récapitulatif\\n\\s+http://localhost:3000/demandes/${first}[\\s\\S]*n° ${second} \\(CERES, bloquant\\) : Second sujet`,
        ),
      );
      assert.doesNotMatch(digest?.text ?? '', new RegExp(`n° ${other}\\b`));
      const visitor = await new Visitor(m.portal.app).login('recap-ceres');
      assert.equal((await visitor.get(`/demandes/${first}`)).statusCode, 200);

      // The next day, with nothing new since: nothing.
      await m.reset();
      assert.equal(await sendDigests(m.db, m.context, new Date(due.getTime() + 24 * 3600_000)), 0);
      assert.equal((await m.deliver()).length, 0);
    });

    test('with the mail server down, a filed request is saved; its mails wait, then leave once each when it is back', async () => {
      await m.db.execute(sql`update users set notify_new_requests = 'immediate' where login = 'agent'`);
      await m.reset();
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
      const { port } = probe.address() as { port: number };
      await new Promise<void>((resolve) => probe.close(() => resolve()));

      const demandeur = await new Visitor(m.portal.app).login('demandeur');
      const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
      const created = await demandeur.postMultipart(`/demandes/nouvelle`, {
        _csrf: form.csrf,
        token: form.token,
        subject: 'Pendant la panne du courrier',
        blocking: 'non',
        applicationId: form.option('CERES'),
        description: 'Le serveur de courrier est arrêté.',
      });
      assert.equal(created.statusCode, 303);
      const number = Number(/\/demandes\/(\d+)/.exec(String(created.headers.location))?.[1]);
      const down = m.worker(`smtp://127.0.0.1:${port}`);
      assert.equal(await down.runOnce(), 2);
      const states = () =>
        rows<{ kind: string; status: string }>(
          m.db,
          sql`select o.kind, o.status from outbox o join requests r on r.id = o.request_id where r.number = ${number} order by o.kind`,
        );
      assert.deepEqual(await states(), [
        { kind: 'new_request', status: 'pending' },
        { kind: 'receipt', status: 'pending' },
      ]);

      const back = new MailSink();
      await back.start(port);
      try {
        await m.db.execute(sql`update outbox set next_attempt_at = now() where status = 'pending'`);
        while ((await down.runOnce()) > 0) {}
        assert.deepEqual(
          (await states()).map((s) => s.status),
          ['sent', 'sent'],
        );
        assert.deepEqual(back.messages.flatMap((x) => x.to).sort(), [AGENT, REQUESTER].sort());
        assert.equal(await down.runOnce(), 0);
        assert.equal(back.messages.length, 2);
      } finally {
        await back.stop();
      }
    });
  });
}
