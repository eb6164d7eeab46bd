/**
 * The guide's FAQ entries 55–59, with answers written for the demonstration (invented content),
 * and one entry for the support's agents only.
 */
import { eq } from 'drizzle-orm';
import type { Audience } from '../../domain/vocabulary.js';
import type { Tx } from '../client.js';
import { faqEntries, themes } from '../schema.js';

type SeedFaq = { number: number; title: string; theme: string; audience: Audience; publishedAt: string; body: string };

export const FAQ: SeedFaq[] = [
  {
    number: 55,
    title: 'Circulaire DGEFP no 2012-15 du 19 juillet 2012 relative à la mise en oeuvre du contrat de professionnalisation',
    theme: 'base des agréments',
    audience: 'public',
    publishedAt: '2019-01-21T09:00:00Z',
    body: `La circulaire DGEFP n° 2012-15 précise les conditions de mise en œuvre du contrat de professionnalisation : durée de l’action de formation, rôle du tuteur et prise en charge par l’opérateur de compétences.

Dans CERES, ces règles s’appliquent lors de la saisie des **agréments** des organismes de formation :

- un agrément doit couvrir toute la durée de la session ;
- une session rattachée à un agrément expiré reste en **agrément bloquant** tant que la DIRECCTE n’a pas validé son renouvellement ;
- l’habilitation du centre à délivrer le titre est vérifiée avant toute édition des attestations.

Si un agrément bloquant empêche l’inscription de vos candidats, vérifiez d’abord la date de fin de l’agrément dans « Base des agréments », puis déposez une demande en précisant le numéro de la session.`,
  },
  {
    number: 56,
    title:
      'Décret no 2014-969 du 22 août 2014 relatif à la durée minimale des périodes de professionnalisation et à l’obligation de tutorat d’un salarié en contrat de professionnalisation',
    theme: 'base des titres',
    audience: 'public',
    publishedAt: '2019-01-22T09:00:00Z',
    body: `Le décret n° 2014-969 fixe une durée minimale aux périodes de professionnalisation et rend obligatoire le tutorat du salarié en contrat de professionnalisation.

Pour les titres enregistrés dans CERES, la durée minimale est contrôlée à la création de la session : une session plus courte est refusée avec le message « Durée inférieure au minimum réglementaire ».

Le tuteur est saisi dans la fiche du candidat. Son **habilitation** n’est pas gérée par CERES : conservez le justificatif dans le dossier du candidat.`,
  },
  {
    number: 57,
    title:
      'Décret n° 2011-524 du 16 mai 2011 aide à l’embauche des demandeurs d’emploi de quarante-cinq ans et plus en contrat de professionnalisation',
    theme: 'base des candidats',
    audience: 'public',
    publishedAt: '2019-01-23T09:00:00Z',
    body: `Le décret n° 2011-524 institue une aide à l’embauche des demandeurs d’emploi de quarante-cinq ans et plus en contrat de professionnalisation.

CERES n’instruit pas cette aide : la demande est faite auprès de Pôle emploi. En revanche, l’âge du candidat à la date de début du contrat figure dans les **éditions** de la fiche candidat, qui peuvent être jointes au dossier d’aide.

Pour obtenir ces éditions : « Base des candidats » › fiche du candidat › « Éditions » › « Fiche récapitulative (PDF) ».`,
  },
  {
    number: 58,
    title:
      'Décret n° 2013-914 du 11 octobre 2013 relatif à la procédure de dérogation prévue à l’article L. 4153-9 du code du travail pour les jeunes âgés de moins de dix-huit ans',
    theme: 'base des agréments',
    audience: 'users',
    publishedAt: '2019-01-24T09:00:00Z',
    body: `Le décret n° 2013-914 organise la procédure de dérogation permettant d’affecter des jeunes de moins de dix-huit ans à des travaux réglementés.

La dérogation est accordée à l’établissement pour trois ans. Dans CERES, elle est enregistrée avec l’agrément de l’établissement :

1. ouvrez « Base des agréments » et choisissez l’établissement ;
2. renseignez la date de la décision de dérogation et sa date de fin ;
3. joignez la décision au format PDF.

Une dérogation échue rend l’agrément bloquant pour les sessions accueillant des mineurs.`,
  },
  {
    number: 59,
    title:
      'Décret no 2013-915 du 11 octobre 2013 relatif aux travaux interdits et réglementés pour les jeunes âgés de moins de dix huit ans',
    theme: 'base des contrôles',
    audience: 'users',
    publishedAt: '2019-01-25T09:00:00Z',
    body: `Le décret n° 2013-915 dresse la liste des travaux interdits et des travaux réglementés pour les jeunes de moins de dix-huit ans.

Lors des contrôles, CERES signale les sessions accueillant des mineurs dont l’établissement n’a pas de dérogation en cours (voir la [F.A.Q. 58](/faq/58)).

Les **éditions** du rapport de contrôle reprennent cette liste ; elles sont disponibles dans « Base des contrôles » › « Éditions ».`,
  },
  {
    number: 60,
    title: 'Procédure interne : débloquer un agrément bloquant à la demande d’une DIRECCTE',
    theme: 'base des agréments',
    audience: 'agents',
    publishedAt: '2019-01-28T09:00:00Z',
    body: `Réservé à l’assistance.

Quand une DIRECCTE confirme par écrit le renouvellement d’un agrément, l’agent de niveau 2 peut lever le blocage depuis « Administration » › « Agréments » › « Forcer la validation ». Indiquez le numéro de la demande dans le commentaire de l’habilitation.`,
  },
];

export async function seedFaq(tx: Tx, applicationId: number) {
  const themeRows = await tx.select().from(themes).where(eq(themes.applicationId, applicationId));
  await tx.insert(faqEntries).values(
    FAQ.map((f) => ({
      number: f.number,
      title: f.title,
      body: f.body,
      applicationId,
      themeId: themeRows.find((t) => t.name === f.theme)?.id ?? null,
      audience: f.audience,
      published: true,
      publishedAt: new Date(f.publishedAt),
      createdAt: new Date(f.publishedAt),
      updatedAt: new Date(f.publishedAt),
    })),
  );
}
