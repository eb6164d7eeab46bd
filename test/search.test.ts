/**
 * French full-text search on a small French corpus: accents, case, plurals and partial words
 * folded; the audience of each item and the visibility of requests respected; excerpts HTML-safe;
 * filters; junk input answered. On both databases.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Actor } from '../src/domain/actor.js';
import { createDocument, setDocumentPublished } from '../src/domain/knowledge/documents.js';
import { documentStore } from '../src/domain/knowledge/documents-files.js';
import { type KnowledgeHit, searchKnowledge } from '../src/domain/search/knowledge-search.js';
import { searchRequests } from '../src/domain/search/request-search.js';
import { runDocumentText } from '../src/jobs/document-text.js';
import { actAs, actorOf, applicationId, createUser, fileAs, rows, themeId } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

type Audience = 'public' | 'users' | 'agents';

/** The titles of this test's corpus among the hits (the demo seed may hold matching items too). */
const CORPUS = new Set([
  'Agrément bloquant d’un organisme',
  'Éditions des attestations',
  'Calendrier des certifications',
  'Contacts régionaux',
  '<script>alert("x")</script> Balises & symboles',
  'Brouillon sur l’agrément',
  'Guide utilisateur',
  'Procédure interne de déblocage',
  'Mémento des sessions',
]);
const titles = (hits: KnowledgeHit[]) => hits.map((h) => h.title).filter((t) => CORPUS.has(t));

for (const kind of DATABASE_KINDS) {
  describe(`search (${kind})`, () => {
    let portal: TestPortal;
    let requester: Actor;
    let agent: Actor;
    let admin: Actor;
    let ceresAgent: Actor;
    let ceres: number;
    let ariane: number;
    let agrementsTheme: number;
    const docs: Record<string, number> = {};
    const req = { own: 0, other: 0, ariane: 0 };

    const faq = async (
      number: number,
      title: string,
      body: string,
      over: { app?: number; theme?: number; audience?: Audience; published?: boolean } = {},
    ) => {
      await portal.database.db.execute(sql`insert into faq_entries (number, title, body, application_id, theme_id, audience, published)
        values (${number}, ${title}, ${body}, ${over.app ?? ceres}, ${over.theme ?? null}, ${over.audience ?? 'users'}, ${over.published ?? true})`);
    };
    const doc = async (
      title: string,
      summary: string,
      fileText: string,
      over: { app?: number; theme?: number; audience?: Audience } = {},
    ) => {
      const [row] = await rows<{ id: number }>(
        portal.database.db,
        sql`insert into documents (title, summary, file_text, application_id, theme_id, audience, published)
          values (${title}, ${summary}, ${fileText}, ${over.app ?? ceres}, ${over.theme ?? null}, ${over.audience ?? 'users'}, true)
          returning id`,
      );
      return Number(row!.id);
    };
    const search = (
      actor: Actor | null,
      text: string,
      more: Parameters<typeof searchKnowledge>[2] extends infer Q ? Partial<Q> : never = {},
    ) => searchKnowledge(portal.database.db, actor, { text, ...more });

    before(async () => {
      portal = await createTestPortal(kind);
      const db = portal.database.db;
      ceres = await applicationId(db, 'CERES');
      ariane = await applicationId(db, 'ARIANE');
      agrementsTheme = await themeId(db, 'base des agréments');
      requester = await actorOf(db, 'demandeur');
      agent = await actorOf(db, 'agent');
      admin = await actorOf(db, 'admin');
      ceresAgent = await createUser(db, 'agent-ceres', 'agent', ['CERES']);

      await faq(901, 'Agrément bloquant d’un organisme', 'Lorsqu’un agrément est bloquant, la session ne peut pas être créée.', {
        theme: agrementsTheme,
        audience: 'public',
      });
      await faq(902, 'Éditions des attestations', 'Les éditions sont produites chaque nuit par le serveur.');
      await faq(903, 'Calendrier des certifications', 'Les dates de passage sont publiées chaque trimestre.', { app: ariane });
      await faq(904, 'Contacts régionaux', 'Les correspondants des certifications sont listés par région.', { app: ariane });
      await faq(
        905,
        '<script>alert("x")</script> Balises & symboles',
        'Texte <b>gras</b> & « guillemets » : les balises <img src=x onerror=alert(1)> restent du texte.',
      );
      await faq(906, 'Brouillon sur l’agrément', 'Pas encore publié : ornithorynque.', { published: false });
      docs.guide = await doc(
        'Guide utilisateur',
        'Prise en main du portail.',
        'Au chapitre trois, la xylographie des attestations est décrite.',
        {
          audience: 'public',
        },
      );
      docs.internal = await doc(
        'Procédure interne de déblocage',
        'Quintessence confidentielle réservée aux agents.',
        'Le zéphyrin sert de mot de passe.',
        {
          audience: 'agents',
        },
      );
      docs.sessions = await doc('Mémento des sessions', 'Créer une session avec un agrément valide.', '', {
        theme: agrementsTheme,
      });

      req.own = await fileAs(portal, 'demandeur', {
        subject: 'Agrément bloquant pour la session',
        description: 'Impossible de valider.',
      });
      req.other = await fileAs(portal, 'direccte', { subject: 'Agrément refusé en région', description: 'Un autre service.' });
      req.ariane = await fileAs(portal, 'direccte', {
        subject: 'Agrément sur ARIANE',
        description: 'Hors de CERES.',
        app: 'ARIANE',
      });
      await actAs(portal, 'agent', req.own, 'internal_note', { message: 'Le lecteur zinzolin du centre est en panne.' });
    });

    after(() => portal.close());

    test('« agréments bloquants » finds « agrément bloquant » (plural, accents)', async () => {
      const hits = await search(requester, 'agréments bloquants', { types: ['faq'] });
      const hit = hits.find((h) => h.title === 'Agrément bloquant d’un organisme');
      assert.ok(hit);
      assert.match(hit.excerpt, /<mark>agrément<\/mark> est <mark>bloquant<\/mark>/);
      assert.equal(hit.url, '/faq/901');
      assert.equal(hit.number, 901);
    });

    test('« editions » and « Editions » find « éditions »', async () => {
      for (const text of ['editions', 'Editions', 'ÉDITION']) {
        const hits = await search(requester, text);
        assert.deepEqual(titles(hits), ['Éditions des attestations'], text);
        assert.match(hits.find((h) => h.title === 'Éditions des attestations')!.excerpt, /<mark>éditions<\/mark>/i);
      }
    });

    test('a prefix finds the whole word while typing: « agré » finds « agrément »', async () => {
      const hits = await search(requester, 'agré');
      assert.ok(titles(hits).includes('Agrément bloquant d’un organisme'));
      assert.ok(titles(hits).includes('Mémento des sessions'));
      assert.ok((await search(requester, 'session agré')).some((h) => h.title === 'Mémento des sessions'));
    });

    test('a word found only in the text of a document’s file finds that document', async () => {
      const hits = await search(null, 'xylographie');
      assert.deepEqual(titles(hits), ['Guide utilisateur']);
      assert.match(hits[0]!.excerpt, /<mark>xylographie<\/mark>/);
      assert.equal(hits[0]!.url, `/base-documentaire/documents/${docs.guide}`);
    });

    test('a word inside a real PDF file finds that document once the worker has read it', async () => {
      const db = portal.database.db;
      const pdf = await PDFDocument.create();
      const font = await pdf.embedFont(StandardFonts.Helvetica);
      pdf.addPage().drawText('Le palimpseste des convocations de jurys', { x: 40, y: 760, size: 12, font });
      const store = documentStore(portal.config.dataDir);
      const file = await store.save(Readable.from(Buffer.from(await pdf.save())), 'jurys.pdf', 5_000_000);
      const who = { actor: admin };
      const id = await createDocument(
        db,
        who,
        { title: 'Jurys', summary: '', applicationId: ceres, themeId: '', audience: 'users' },
        file,
      );
      await setDocumentPublished(db, who, id, true);
      assert.deepEqual(await search(requester, 'palimpseste'), [], 'not before its text is extracted');
      await runDocumentText(db, store);
      const [hit] = await search(requester, 'palimpsestes');
      assert.equal(hit?.id, id);
      assert.equal(hit.format, 'PDF');
      assert.equal(hit.sizeBytes, file.sizeBytes);
      assert.match(hit.excerpt, /<mark>palimpseste<\/mark>/);
    });

    test('an agents-only document is never found by a requester nor anonymously; staff find it', async () => {
      for (const text of ['déblocage', 'quintessence', 'zéphyrin', 'procédure interne']) {
        assert.deepEqual(await search(requester, text), [], text);
        assert.deepEqual(await search(null, text), [], text);
      }
      assert.deepEqual(titles(await search(agent, 'zéphyrin')), ['Procédure interne de déblocage']);
      // Over HTTP, nothing of it reaches the page either.
      for (const visitor of [new Visitor(portal.app), await loggedIn('demandeur')]) {
        const page = await visitor.get('/recherche?q=quintessence+d%C3%A9blocage');
        assert.equal(page.statusCode, 200);
        assert.doesNotMatch(page.body, /Procédure interne de déblocage|confidentielle|mot de passe/);
      }
    });

    test('anonymous people find public items only; unpublished items are never found', async () => {
      assert.deepEqual(titles(await search(null, 'éditions')), []);
      assert.deepEqual(titles(await search(null, 'agrément bloquant')), ['Agrément bloquant d’un organisme']);
      assert.deepEqual(await search(admin, 'ornithorynque'), []);
    });

    test('ranking: a match in the title comes before a match in the text', async () => {
      const hits = (await search(requester, 'certifications')).filter((h) => CORPUS.has(h.title));
      assert.deepEqual(titles(hits), ['Calendrier des certifications', 'Contacts régionaux']);
      assert.ok(hits[0]!.rank > hits[1]!.rank);
    });

    test('excerpts are HTML-safe: the text is escaped, only <mark> is added', async () => {
      const [hit] = await search(requester, 'balises guillemets');
      assert.ok(hit);
      assert.doesNotMatch(hit.excerpt, /<(?!\/?mark>)/);
      assert.match(hit.excerpt, /&lt;img src=x/);
      assert.match(hit.excerpt, /&amp;/);
      assert.match(hit.excerpt, /<mark>balises<\/mark>/);
      const page = await (await loggedIn('demandeur')).get('/recherche?q=balises');
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /<script>alert|<img src=x|<b>gras/);
      assert.match(page.body, /&lt;script>alert/);
      assert.match(page.body, /<mark>balises<\/mark>/);
    });

    test('filters: type, application, theme', async () => {
      assert.deepEqual(titles(await search(requester, 'agrément', { types: ['document'] })), ['Mémento des sessions']);
      assert.deepEqual(titles(await search(requester, 'agrément', { types: ['faq'] })), ['Agrément bloquant d’un organisme']);
      assert.deepEqual(titles(await search(requester, 'certifications', { applicationId: ceres })), []);
      assert.equal((await search(requester, 'certifications', { applicationId: ariane })).length, 2);
      const themed = await search(requester, 'agrément', { themeId: agrementsTheme });
      assert.deepEqual(titles(themed).sort(), ['Agrément bloquant d’un organisme', 'Mémento des sessions']);
      assert.equal(themed[0]!.themeName, 'base des agréments');
      assert.equal(themed[0]!.applicationName, 'CERES');
      const page = await (await loggedIn('demandeur')).get(`/recherche?q=agr%C3%A9ment&type=document&application=${ceres}`);
      assert.match(page.body, /Mémento des sessions/);
      assert.doesNotMatch(page.body, /Agrément bloquant d’un organisme/);
    });

    test('junk input is answered, never with an error', async () => {
      const junk = [
        '"',
        "'",
        '&|!():*',
        '!!!',
        'a:* & b',
        '\u0000agrément',
        '<->',
        '-',
        'x'.repeat(5000),
        `${'agrément '.repeat(600)}`,
        '""""',
        '(((',
        '\\',
        '%',
        '🙂',
      ];
      for (const text of junk) {
        await search(requester, text);
        await searchRequests(portal.database.db, agent, { text });
      }
      assert.ok((await search(requester, '\u0000agrément')).length > 0);
      const visitor = await loggedIn('agent');
      for (const text of [...junk, 'agr%C3%A9ment%00', '%00']) {
        const q = text.includes('%') ? text : encodeURIComponent(text);
        const page = await visitor.get(`/recherche?q=${q}&type=zzz&application=abc&theme=-1&decalage=1e9`);
        assert.equal(page.statusCode, 200, text.slice(0, 20));
      }
      const page = await visitor.get('/recherche?q[]=a&q[]=b&type[]=faq');
      assert.equal(page.statusCode, 200);
    });

    test('a requester gets no request from the staff search; an agent only their applications’', async () => {
      const db = portal.database.db;
      for (const text of ['agrément', String(req.own), String(req.other), 'zinzolin']) {
        assert.deepEqual((await searchRequests(db, requester, { text })).hits, [], text);
        assert.deepEqual((await searchRequests(db, null, { text })).hits, [], text);
      }
      const numbers = async (actor: Actor, text: string) => (await searchRequests(db, actor, { text })).hits.map((h) => h.number);
      assert.deepEqual((await numbers(ceresAgent, 'agrément')).sort(), [req.own, req.other].sort());
      assert.deepEqual(await numbers(ceresAgent, String(req.ariane)), []);
      assert.ok((await numbers(admin, 'agrément')).includes(req.ariane));
      // The page: no « Demandes » section for a requester, even asked for.
      const page = await (await loggedIn('demandeur')).get('/recherche?q=agr%C3%A9ment&type=demandes');
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /Agrément refusé en région|Agrément bloquant pour la session/);
    });

    test('staff find a request by number, by subject and by a comment of its history (internal notes included)', async () => {
      const db = portal.database.db;
      const byNumber = await searchRequests(db, ceresAgent, { text: `n° ${req.own}` });
      assert.equal(byNumber.hits[0]?.number, req.own);
      assert.equal(byNumber.hits[0]?.matchedIn, 'number');
      const byComment = await searchRequests(db, ceresAgent, { text: 'zinzolin' });
      assert.deepEqual(
        byComment.hits.map((h) => [h.number, h.matchedIn, h.internalNote]),
        [[req.own, 'comment', true]],
      );
      assert.match(byComment.hits[0]!.excerpt, /<mark>zinzolin<\/mark>/);
      const bySubject = await searchRequests(db, ceresAgent, { text: 'agréments bloquants' });
      assert.equal(bySubject.hits[0]?.number, req.own);
      const page = await (await loggedIn('agent-ceres')).get('/recherche?q=zinzolin&type=demandes');
      assert.match(page.body, new RegExp(`n° ${req.own}`));
      assert.match(page.body, /note interne/);
    });

    test('the page: count, empty state with advice, filters kept', async () => {
      const visitor = new Visitor(portal.app);
      const found = await visitor.get('/recherche?q=xylographie');
      assert.match(found.body, /1 résultat pour « xylographie »/);
      const themed = await visitor.get('/recherche?q=agr%C3%A9ment+bloquant&type=faq');
      assert.match(themed.body, /CERES › base des agréments/);
      const none = await visitor.get(`/recherche?q=introuvablissime&application=${ceres}`);
      assert.match(none.body, /Aucun résultat/);
      assert.match(none.body, /Rechercher sans filtre/);
      assert.match(none.body, new RegExp(`<option value="${ceres}" selected`));
      const home = await visitor.get('/base-documentaire');
      assert.match(home.body, /action="\/recherche"/);
    });

    async function loggedIn(login: string) {
      const visitor = new Visitor(portal.app);
      await visitor.login(login);
      return visitor;
    }
  });
}
