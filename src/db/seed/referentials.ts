/** The guide's referentials, as first seeded; administrators change them afterwards. */

export const APPLICATIONS = [
  ['PORTAIL_ALTERNANCE', 'Portail de l’Alternance'],
  ['ARIANE', 'Ariane'],
  ['CERES', 'CERES'],
  ['DCCP_EXTRAPRO', 'DCCP/ExtraPro'],
  ['MAF_MCF_MSDC', 'MAF-MCF-MSDC'],
  ['PSE', 'Plan de Sauvegarde de l’Emploi'],
  ['REVITALISATION', 'Revitalisation'],
] as const;

export const CERES_THEMES = [
  'base des titres',
  'base des certifications externes et des équivalences',
  'base des candidats',
  'base des jurés',
  'base des agréments',
  'base des sessions',
  'base des contrôles',
  'administration des établissements',
  'administration',
];

/** Problem types; the second element lists the subtypes. */
export const PROBLEM_TYPES: [string, string[]][] = [
  ['Problème de connexion', []],
  [
    'Problème applicatif',
    [
      'Dysfonctionnement de l’outil',
      'Anomalie technique',
      'Problème d’édition',
      'Problème d’export',
      'Problème de transmission',
      'Problème d’affichage',
    ],
  ],
  ['Problème de reprise de données (VALCE vers CERES)', []],
  ['Problème d’ergonomie', []],
];

export const REGIONS = [
  ['84', 'Auvergne-Rhône-Alpes'],
  ['27', 'Bourgogne-Franche-Comté'],
  ['53', 'Bretagne'],
  ['24', 'Centre-Val de Loire'],
  ['94', 'Corse'],
  ['44', 'Grand Est'],
  ['01', 'Guadeloupe'],
  ['03', 'Guyane'],
  ['32', 'Hauts-de-France'],
  ['11', 'Île-de-France'],
  ['04', 'La Réunion'],
  ['02', 'Martinique'],
  ['06', 'Mayotte'],
  ['28', 'Normandie'],
  ['75', 'Nouvelle-Aquitaine'],
  ['76', 'Occitanie'],
  ['52', 'Pays de la Loire'],
  ['93', 'Provence-Alpes-Côte d’Azur'],
] as const;

export const STRUCTURE_NATURES = [
  'Organisme de formation',
  'Centre de formation d’apprentis',
  'Titulaire d’un contrat de professionnalisation (Portail)',
  'Établissement public',
  'Administration régionale (DIRECCTE)',
  'Entreprise',
];

export const STRUCTURE_TYPES = ['Privé', 'Public', 'Associatif', 'En contrat'];

export const FAQ = [
  [55, 'Circulaire DGEFP no 2012-15 du 19 juillet 2012 relative à la mise en oeuvre du contrat de professionnalisation'],
  [
    56,
    'Décret no 2014-969 du 22 août 2014 relatif à la durée minimale des périodes de professionnalisation et à l’obligation de tutorat d’un salarié en contrat de professionnalisation',
  ],
  [
    57,
    'Décret n° 2011-524 du 16 mai 2011 aide à l’embauche des demandeurs d’emploi de quarante-cinq ans et plus en contrat de professionnalisation',
  ],
  [
    58,
    'Décret n° 2013-914 du 11 octobre 2013 relatif à la procédure de dérogation prévue à l’article L. 4153-9 du code du travail pour les jeunes âgés de moins de dix-huit ans',
  ],
  [
    59,
    'Décret no 2013-915 du 11 octobre 2013 relatif aux travaux interdits et réglementés pour les jeunes âgés de moins de dix huit ans',
  ],
] as const;

export const NEWS = {
  title: 'Ouverture de CERES',
  publishedOn: '2019-01-17',
  body:
    'L’application VALCE est fermée depuis le 17/01/2019 mais reste disponible en mode consultation. ' +
    'A compter du 24/01/2019, vous retrouverez vos données (candidats, sessions...) sur l’application CERES accessible depuis l’URL https://ceres.emploi.gouv.fr.\n\n' +
    'Pour toute demande concernant CERES, nous vous invitons à consulter la documentation en ligne en sélectionnant « Base Documentaire > Thématique » puis « CERES ».\n\n' +
    'L’assistance est à votre disposition via la création d’un ticket (déposer une nouvelle demande) ou en nous contactant du lundi au vendredi de 9h à 18h au 01 46 29 25 54 puis en effectuant le choix 1.\n\n' +
    'Bonne navigation\nCordialement,\nAssistance des Ministères Sociaux',
};
