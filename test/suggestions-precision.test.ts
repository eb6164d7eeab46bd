/**
 * How good the suggestions are, measured: 30 subjects as training centres and regional agents type
 * them (with their application, sometimes a theme and a description), each with the answer a
 * support agent would point to, or none. The knowledge base is the demonstration one (FAQ 55–60,
 * the documents) plus a few everyday entries of a support (password, account, habilitation,
 * export, jury, data taken over from VALCE, apprenticeship contracts). Prints precision@1, hit@3
 * and the share of subjects rightly left without a suggestion, and holds floors under them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/client.js';
import type { Actor } from '../src/domain/actor.js';
import { type Suggestion, suggestionsFor } from '../src/domain/knowledge/suggestions.js';
import { actorOf, applicationId, rows } from './support/factories.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

/** FAQ entries of a support's everyday questions, beside the demonstration's (numbers from 101). */
const EVERYDAY_FAQ = [
  {
    number: 101,
    app: 'CERES',
    theme: 'administration',
    title: 'Mot de passe oublié ou compte verrouillé sur CERES',
    body: `Sur la page de connexion de CERES, cliquez sur « Mot de passe oublié ? » : un lien de réinitialisation est envoyé à l’adresse électronique du compte, valable 24 heures.

Après cinq tentatives de connexion infructueuses, le compte est verrouillé pendant 30 minutes. Passé ce délai, vous pouvez vous reconnecter ou réinitialiser votre mot de passe.`,
  },
  {
    number: 102,
    app: 'CERES',
    theme: 'administration des établissements',
    title: 'Habilitation d’un centre à organiser les sessions d’un titre',
    body: `L’habilitation autorise un établissement à organiser les sessions de validation d’un titre professionnel. Elle est demandée à la DIRECCTE, qui la saisit dans « Administration des établissements ».

Tant que l’habilitation n’est pas enregistrée, le titre n’apparaît pas dans la liste proposée à la création d’une session.`,
  },
  {
    number: 103,
    app: 'CERES',
    theme: 'base des candidats',
    title: 'Exporter la liste des candidats au format tableur',
    body: `Depuis « Base des candidats », filtrez par session puis cliquez sur « Exporter » : le fichier CSV reprend les candidats affichés.

Un export vide signifie que le filtre ne retient aucun candidat : vérifiez la session et la période choisies.`,
  },
  {
    number: 104,
    app: 'CERES',
    theme: 'base des jurés',
    title: 'Composer le jury d’une session : ajouter un juré',
    body: `Un juré doit d’abord figurer dans « Base des jurés », avec ses titres de compétence. Ouvrez ensuite la session, onglet « Jury », puis « Ajouter un membre ».

Un juré ne peut pas évaluer un candidat qu’il a formé : CERES le signale et refuse l’affectation.`,
  },
  {
    number: 105,
    app: 'CERES',
    theme: 'base des candidats',
    title: 'Données de VALCE absentes de CERES après la reprise',
    body: `Les candidats, sessions et résultats enregistrés dans VALCE jusqu’au 17/01/2019 ont été repris dans CERES. Les dossiers incomplets dans VALCE (sans date de naissance, par exemple) n’ont pas été repris.

VALCE reste consultable : ressaisissez dans CERES les dossiers manquants, ou signalez-nous un lot entier absent.`,
  },
  {
    number: 106,
    app: 'PORTAIL_ALTERNANCE',
    theme: null,
    title: 'Déclarer la rupture anticipée d’un contrat d’apprentissage',
    body: `La rupture d’un contrat d’apprentissage avant son terme est déclarée depuis la fiche du contrat, « Déclarer une rupture », avec la date et le motif.

L’opérateur de compétences est informé automatiquement et cesse la prise en charge à la date indiquée.`,
  },
  {
    number: 107,
    app: 'PORTAIL_ALTERNANCE',
    theme: null,
    title: 'Compte du Portail de l’Alternance non activé',
    body: `Après la création de votre compte, un courriel d’activation est envoyé ; son lien est valable 48 heures. Passé ce délai, demandez un nouveau courriel depuis la page de connexion, « Renvoyer le lien d’activation ».

Vérifiez aussi vos courriers indésirables.`,
  },
];

type Expected = { faq: number } | { document: string } | 'aucune';
type Case = { subject: string; app: string; theme?: string; description?: string; expected: Expected };

const GUIDE = { document: 'Guide utilisateur CERES – Agréments' };

const CASES: Case[] = [
  // The demonstration's FAQ entries (55–59) and documents, CERES.
  {
    subject: 'Agrément expiré : impossible d’inscrire mes candidats',
    app: 'CERES',
    description: 'La session de mars ne prend plus d’inscription, l’agrément est marqué bloquant.',
    expected: { faq: 55 },
  },
  {
    subject: 'BLOQUANT - base des agréments : renouvellement non validé par la DIRECCTE',
    app: 'CERES',
    theme: 'base des agréments',
    expected: { faq: 55 },
  },
  { subject: 'Dérogation échue pour des mineurs', app: 'CERES', expected: { faq: 58 } },
  {
    subject: 'Où saisir la dérogation pour les jeunes de moins de 18 ans ?',
    app: 'CERES',
    theme: 'base des agréments',
    expected: { faq: 58 },
  },
  {
    subject: 'Travaux réglementés : session signalée au contrôle',
    app: 'CERES',
    description: 'Le contrôle signale la session car elle accueille des mineurs.',
    expected: { faq: 59 },
  },
  { subject: 'Liste des travaux interdits aux jeunes apprentis', app: 'CERES', expected: { faq: 59 } },
  {
    subject: 'Message « Durée inférieure au minimum réglementaire »',
    app: 'CERES',
    description: 'À la création de la session, CERES refuse la durée saisie.',
    expected: { faq: 56 },
  },
  {
    subject: 'Session refusée à la création',
    app: 'CERES',
    theme: 'base des sessions',
    description: 'La session dure trois semaines et CERES affiche une durée inférieure au minimum réglementaire.',
    expected: { faq: 56 },
  },
  { subject: 'Où saisir le tuteur du salarié en contrat de professionnalisation ?', app: 'CERES', expected: { faq: 56 } },
  { subject: 'Aide à l’embauche pour un candidat de 50 ans en contrat pro', app: 'CERES', expected: { faq: 57 } },
  {
    subject: 'Non bloquant - éditions de la fiche candidat',
    app: 'CERES',
    theme: 'base des candidats',
    description: 'Je ne trouve pas la fiche récapitulative PDF à joindre au dossier.',
    expected: { faq: 57 },
  },
  {
    subject: 'Éditions du rapport introuvables',
    app: 'CERES',
    theme: 'base des contrôles',
    expected: { faq: 59 },
  },
  { subject: 'Non bloquant - comment renouveler un agrément ?', app: 'CERES', expected: GUIDE },
  { subject: 'Récépissé quadriennal de la DREETS', app: 'CERES', theme: 'base des agréments', expected: GUIDE },
  { subject: 'Créer la fiche d’un nouveau candidat', app: 'CERES', expected: { document: 'Saisie des candidats' } },
  {
    subject: 'Dates des prochaines sessions d’examen en Bretagne',
    app: 'CERES',
    expected: { document: 'Calendrier des sessions d’examen 2026' },
  },
  // A support's everyday questions.
  { subject: 'Mot de passe oublié', app: 'CERES', expected: { faq: 101 } },
  {
    subject: 'Je n’arrive plus à me connecter',
    app: 'CERES',
    description: 'Urgent : je ne peux plus me connecter depuis ce matin.',
    expected: { faq: 101 },
  },
  {
    subject: 'Habilitation du centre pour le titre ADVF',
    app: 'CERES',
    description: 'Le titre n’apparaît pas quand je crée la session.',
    expected: { faq: 102 },
  },
  { subject: 'Le fichier exporté est vide', app: 'CERES', theme: 'base des candidats', expected: { faq: 103 } },
  { subject: 'Impossible d’affecter un juré à la session', app: 'CERES', theme: 'base des jurés', expected: { faq: 104 } },
  {
    subject: 'Candidats VALCE absents après la reprise',
    app: 'CERES',
    description: 'Une partie de nos candidats de 2018 n’apparaît pas dans CERES.',
    expected: { faq: 105 },
  },
  {
    subject: 'Déposer un premier contrat d’apprentissage',
    app: 'PORTAIL_ALTERNANCE',
    expected: { document: 'Guide de démarrage du Portail de l’Alternance' },
  },
  { subject: 'Rupture du contrat d’apprentissage avant la fin', app: 'PORTAIL_ALTERNANCE', expected: { faq: 106 } },
  {
    subject: 'Lien d’activation du compte expiré',
    app: 'PORTAIL_ALTERNANCE',
    description: 'Je n’ai pas reçu le courriel d’activation à temps.',
    expected: { faq: 107 },
  },
  // Nothing in the knowledge base answers these: better no suggestion than a wrong one.
  { subject: 'Non bloquant - problème d’affichage', app: 'CERES', expected: 'aucune' },
  { subject: 'URGENT erreur', app: 'CERES', description: 'Erreur bloquante, merci de traiter la demande.', expected: 'aucune' },
  { subject: 'Bonjour, problème urgent sur l’application', app: 'CERES', expected: 'aucune' },
  { subject: 'Changement d’adresse de notre structure', app: 'CERES', expected: 'aucune' },
  { subject: 'Demande de facture', app: 'PORTAIL_ALTERNANCE', expected: 'aucune' },
];

/** Floors the ranking keeps (it measures more, with margin). */
const FLOORS = { precisionAt1: 0.8, hitAt3: 0.88, noneRight: 1 };

async function insertEverydayFaq(db: Db) {
  for (const f of EVERYDAY_FAQ) {
    await db.execute(sql`
      insert into faq_entries (number, title, body, application_id, theme_id, audience, published, published_at)
      select ${f.number}, ${f.title}, ${f.body}, a.id, t.id, 'users', true, now()
      from applications a left join themes t on t.application_id = a.id and t.name = ${f.theme}
      where a.code = ${f.app}`);
  }
}

const label = (s: Pick<Suggestion, 'type' | 'number' | 'title'>) => (s.type === 'faq' ? `FAQ ${s.number}` : s.title);
const isExpected = (s: Suggestion, expected: Exclude<Expected, 'aucune'>) =>
  'faq' in expected ? s.type === 'faq' && s.number === expected.faq : s.type === 'document' && s.title === expected.document;

for (const kind of DATABASE_KINDS) {
  describe(`precision of the suggestions (${kind})`, () => {
    let portal: TestPortal;
    let db: Db;
    let actor: Actor;

    before(async () => {
      portal = await createTestPortal(kind);
      db = portal.database.db;
      await insertEverydayFaq(db);
      actor = await actorOf(db, 'direccte');
    });
    after(() => portal?.close());

    async function questionOf(c: Case) {
      const [theme] = c.theme ? await rows<{ id: number }>(db, sql`select id from themes where name = ${c.theme} limit 1`) : [];
      return {
        subject: c.subject,
        description: c.description ?? '',
        applicationId: await applicationId(db, c.app),
        themeId: theme ? Number(theme.id) : null,
      };
    }

    test('30 subjects: precision@1, hit@3 and « aucune » above their floors', async (t) => {
      assert.equal(CASES.length, 30);
      let first = 0;
      let inTop3 = 0;
      let answerable = 0;
      let noneRight = 0;
      let none = 0;
      const misses: string[] = [];
      for (const c of CASES) {
        const got = await suggestionsFor(db, actor, await questionOf(c));
        const shown = got.map(label).join(' | ') || '—';
        if (c.expected === 'aucune') {
          none++;
          if (got.length === 0) noneRight++;
          else misses.push(`« ${c.subject} »: aucune attendue, ${shown}`);
          continue;
        }
        const expected = c.expected;
        answerable++;
        const at = got.slice(0, 3).findIndex((s) => isExpected(s, expected));
        if (at === 0) first++;
        if (at >= 0) inTop3++;
        if (at !== 0)
          misses.push(`« ${c.subject} »: ${'faq' in expected ? `FAQ ${expected.faq}` : expected.document} attendue, ${shown}`);
      }
      const figures = { precisionAt1: first / answerable, hitAt3: inTop3 / answerable, noneRight: noneRight / none };
      const pct = (x: number) => `${Math.round(x * 100)} %`;
      t.diagnostic(
        `precision@1 ${pct(figures.precisionAt1)} (${first}/${answerable}), hit@3 ${pct(figures.hitAt3)} (${inTop3}/${answerable}), « aucune » right ${pct(figures.noneRight)} (${noneRight}/${none})`,
      );
      for (const miss of misses) t.diagnostic(miss);
      assert.ok(figures.precisionAt1 >= FLOORS.precisionAt1, `precision@1 ${pct(figures.precisionAt1)}`);
      assert.ok(figures.hitAt3 >= FLOORS.hitAt3, `hit@3 ${pct(figures.hitAt3)}`);
      assert.ok(figures.noneRight >= FLOORS.noneRight, `« aucune » right ${pct(figures.noneRight)}`);
    });
  });
}
