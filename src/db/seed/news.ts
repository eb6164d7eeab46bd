/**
 * News of the demonstration: the guide's « Ouverture de CERES », a second current item and one
 * whose window has ended (shown only under « Actualités passées »).
 */
import { dayOf } from '../../domain/knowledge/news.js';
import type { Audience } from '../../domain/vocabulary.js';
import type { Tx } from '../client.js';
import { news } from '../schema.js';

type SeedNews = { title: string; body: string; startsAt: string; endsAt: string | null; audience: Audience };

export const NEWS: SeedNews[] = [
  {
    title: 'Ouverture de CERES',
    startsAt: '2019-01-16T23:00:00Z',
    endsAt: null,
    audience: 'public',
    body:
      'L’application VALCE est fermée depuis le 17/01/2019 mais reste disponible en mode consultation. ' +
      'A compter du 24/01/2019, vous retrouverez vos données (candidats, sessions...) sur l’application CERES accessible depuis l’URL https://ceres.emploi.gouv.fr.\n\n' +
      'Pour toute demande concernant CERES, nous vous invitons à consulter la documentation en ligne en sélectionnant « Base Documentaire > Thématique » puis « CERES ».\n\n' +
      'L’assistance est à votre disposition via la création d’un ticket (déposer une nouvelle demande) ou en nous contactant du lundi au vendredi de 9h à 18h au 01 46 29 25 54 puis en effectuant le choix 1.\n\n' +
      'Bonne navigation\nCordialement,\nAssistance des Ministères Sociaux',
  },
  {
    title: 'Nouvelles éditions des attestations CERES',
    startsAt: '2026-10-31T23:00:00Z',
    endsAt: null,
    audience: 'users',
    body:
      'Les **éditions** des attestations de réussite ont été revues : le numéro d’habilitation du centre figure désormais en en-tête.\n\n' +
      'Les attestations déjà éditées restent valables. Pour toute question, consultez la [F.A.Q. 57](/faq/57).',
  },
  {
    title: 'Maintenance de CERES les 10 et 11 octobre 2026',
    startsAt: '2026-10-05T22:00:00Z',
    endsAt: '2026-10-11T22:00:00Z',
    audience: 'users',
    body: 'CERES sera indisponible du samedi 10 octobre 2026 à 8h au dimanche 11 octobre 2026 à 20h pour une opération de maintenance.',
  },
];

export async function seedNews(tx: Tx) {
  await tx.insert(news).values(
    NEWS.map((n) => ({
      title: n.title,
      body: n.body,
      startsAt: new Date(n.startsAt),
      endsAt: n.endsAt ? new Date(n.endsAt) : null,
      publishedOn: dayOf(new Date(n.startsAt)),
      audience: n.audience,
      published: true,
      updatedAt: new Date(n.startsAt),
    })),
  );
}
