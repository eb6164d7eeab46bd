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
