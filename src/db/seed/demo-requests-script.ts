/**
 * The demonstration requests as a script: who files what, when, and each step after it, over every
 * status, the user guide's 67080 and 67098 first. demo-requests.ts plays them.
 */
import type { OnBehalf } from '../../domain/requests/input.js';
import type { Action } from '../../domain/vocabulary.js';

/** The document the guide's answer points to (seeded by documents.ts). */
const GUIDE_DOCUMENT = 'Guide utilisateur CERES – Agréments';

export type Login = 'demandeur' | 'direccte' | 'agent' | 'expert';

/**
 * When: 'YYYY-MM-DD HH:MM' (Paris), or '-N HH:MM', N working days before today, so that the
 * « Mise à jour » dates stay recent whenever the portal is first started.
 */
export type When = string;

export type Step = { at: When; by: Login; message?: string } & (
  | { do: Exclude<Action, 'mark_duplicate'> }
  /** Closed as the duplicate of the demo request with this key. */
  | { do: 'mark_duplicate'; original: string }
  | { do: 'survey'; rating: number }
  /** « Ressources associées »: the published document with this title. */
  | { do: 'document'; title: string }
);

export type DemoRequest = {
  key: string;
  /** The guide's requests keep their number; the others take the next ones. */
  number?: number;
  by: Login;
  /** The desk files by telephone for this requester. */
  for?: Login;
  onBehalf?: OnBehalf;
  app: 'CERES' | 'PORTAIL_ALTERNANCE';
  theme?: string;
  problem?: string;
  subject: string;
  blocking?: boolean;
  reference?: string;
  description: string;
  at: When;
  steps: Step[];
};

const GUIDE_REQUESTS: DemoRequest[] = [
  {
    key: 'guide-answered',
    number: 67080,
    by: 'demandeur',
    app: 'CERES',
    theme: 'base des agréments',
    subject: 'BLOQUANT - base des agréments',
    blocking: true,
    reference: 'TEST-REF-METIER',
    description: 'Pour vérifier l’usage du champ référence métier : demande créée par Hélène Rivière, ne pas traiter.',
    // The guide's times, on the last working day: answered in 2019, the auto-close job would close it at once.
    at: '-1 11:55',
    steps: [
      { at: '-1 11:59', by: 'agent', do: 'take' },
      { at: '-1 12:01', by: 'agent', do: 'ask_info', message: 'pour information' },
      { at: '-1 15:53', by: 'agent', do: 'document', title: GUIDE_DOCUMENT },
      {
        at: '-1 15:53',
        by: 'agent',
        do: 'resolve',
        message: 'Bonjour,\nmerci de prendre connaissance du guide utilisateur.',
      },
    ],
  },
  {
    key: 'guide-new',
    number: 67098,
    by: 'demandeur',
    app: 'CERES',
    theme: 'base des agréments',
    subject: 'Agréments',
    description:
      'Bonjour,\nl’agrément de notre centre pour le titre professionnel « Formateur professionnel d’adultes » arrive à échéance le 31 mars. Faut-il déposer une nouvelle demande d’agrément dans CERES, ou existe-t-il une procédure de renouvellement ?\nMerci par avance,\nHélène Rivière',
    at: '2019-01-22 16:20',
    steps: [],
  },
];

const RECENT_REQUESTS: DemoRequest[] = [
  {
    key: 'duplicates-merged',
    by: 'demandeur',
    app: 'CERES',
    theme: 'base des candidats',
    problem: 'Problème de reprise de données (VALCE vers CERES)',
    subject: 'Candidats en double après la reprise des données',
    description:
      'Bonjour,\ndepuis la reprise des données de VALCE, plusieurs candidats de la session de février apparaissent deux fois dans la base des candidats (même nom, même date de naissance). Nous ne savons pas quelle fiche inscrire au jury.\nCordialement,\nHélène Rivière',
    at: '-15 09:40',
    steps: [
      { at: '-15 10:05', by: 'agent', do: 'take' },
      {
        at: '-14 11:20',
        by: 'agent',
        do: 'resolve',
        message:
          'Bonjour Madame Rivière,\nles doublons provenaient de la reprise VALCE : nous avons fusionné les fiches en conservant l’historique des inscriptions. Vos 14 candidats n’apparaissent plus qu’une fois dans la session de février ; vous pouvez le vérifier depuis « Base des candidats ».\nCordialement,\nL’assistance',
      },
      { at: '-13 09:15', by: 'demandeur', do: 'accept' },
      { at: '-13 09:16', by: 'demandeur', do: 'survey', rating: 5, message: 'Réponse rapide et claire, merci !' },
    ],
  },
  {
    key: 'export-level-2',
    by: 'direccte',
    app: 'CERES',
    theme: 'base des sessions',
    problem: 'Problème d’export',
    subject: 'BLOQUANT - export des résultats de session vide',
    blocking: true,
    reference: '2026-BRE-014',
    description:
      'Bonjour,\nl’export des résultats de la session 2026-BRE-014 produit un fichier vide (seulement la ligne d’en-têtes). Nous devons transmettre les résultats au jury vendredi ; les autres sessions s’exportent normalement.\nYannick Le Goff, DIRECCTE Bretagne',
    at: '-12 14:10',
    steps: [
      { at: '-12 14:25', by: 'agent', do: 'take' },
      {
        at: '-12 14:40',
        by: 'agent',
        do: 'escalate',
        message:
          'Reproduit : l’export est vide dès que la session compte plus de 200 candidats. Rien côté paramétrage ; transmis au niveau 2 pour analyse technique.',
      },
      { at: '-11 09:30', by: 'expert', do: 'take' },
      {
        at: '-11 16:45',
        by: 'expert',
        do: 'resolve',
        message:
          'Bonjour,\nune anomalie de l’export au-delà de 200 candidats a été corrigée ce jour. Relancez l’export depuis la fiche de la session : le fichier contient désormais toutes les lignes. Merci de votre signalement.\nCordialement,\nL’assistance (niveau 2)',
      },
      { at: '-10 09:05', by: 'direccte', do: 'accept' },
      {
        at: '-10 09:06',
        by: 'direccte',
        do: 'survey',
        rating: 4,
        message: 'Problème résolu, mais il a fallu deux jours pour une demande bloquante.',
      },
    ],
  },
  {
    key: 'password-by-phone',
    by: 'agent',
    for: 'demandeur',
    app: 'CERES',
    problem: 'Problème de connexion',
    subject: 'Mot de passe CERES expiré',
    description: 'Appel de Mme Rivière : son mot de passe CERES a expiré et le lien de réinitialisation reçu ne fonctionne plus.',
    at: '-9 10:00',
    steps: [
      {
        at: '-9 10:12',
        by: 'agent',
        do: 'resolve',
        message:
          'Bonjour,\ncomme convenu au téléphone, nous avons réinitialisé votre mot de passe : un nouveau lien, valable 24 heures, vous a été envoyé par courriel.\nCordialement,\nL’assistance',
      },
      // Closed without an opinion: the requester still finds the survey on the page.
      { at: '-9 14:30', by: 'demandeur', do: 'accept' },
    ],
  },
  {
    key: 'juror-complement',
    by: 'demandeur',
    app: 'CERES',
    theme: 'base des jurés',
    problem: 'Dysfonctionnement de l’outil',
    subject: 'Impossible de modifier la fiche d’un juré',
    description:
      'Bonjour,\nquand j’enregistre la modification de la fiche d’un juré (changement d’adresse), CERES affiche un message d’erreur et rien n’est enregistré.\nMerci de votre aide.',
    at: '-8 14:20',
    steps: [
      { at: '-8 15:02', by: 'agent', do: 'take' },
      {
        at: '-8 15:05',
        by: 'agent',
        do: 'ask_info',
        message:
          'Bonjour,\npouvez-vous nous indiquer le numéro du juré concerné et le texte exact du message d’erreur ? Une capture d’écran nous aiderait.\nCordialement,\nL’assistance',
      },
      {
        at: '-7 09:40',
        by: 'demandeur',
        do: 'add_info',
        message:
          'Bonjour,\nil s’agit du juré n° J-76-0457. Le message est : « Ce juré est rattaché à une session clôturée ». Il doit pourtant siéger à la session de juin.',
      },
      {
        at: '-2 11:30',
        by: 'agent',
        do: 'resolve',
        message:
          'Bonjour,\nle juré était resté rattaché à la session de mars, clôturée depuis, ce qui verrouillait sa fiche. Nous l’avons détaché de cette session : vous pouvez maintenant modifier sa fiche et l’inscrire à la session de juin.\nCordialement,\nL’assistance',
      },
    ],
  },
  {
    key: 'answer-refused',
    by: 'demandeur',
    app: 'CERES',
    theme: 'base des candidats',
    problem: 'Problème d’édition',
    subject: 'Liste des candidats admis incomplète',
    description:
      'Bonjour,\nle procès-verbal de la session du 3 mars ne liste que 9 candidats admis, alors que le jury en a déclaré 12.',
    at: '-7 11:10',
    steps: [
      { at: '-7 11:30', by: 'agent', do: 'take' },
      {
        at: '-5 16:00',
        by: 'agent',
        do: 'resolve',
        message:
          'Bonjour,\nles trois candidats manquants avaient une note d’épreuve non validée. Nous avons validé ces notes : le procès-verbal peut être édité de nouveau.\nCordialement,\nL’assistance',
      },
      {
        at: '-4 09:25',
        by: 'demandeur',
        do: 'refuse',
        message: 'Le procès-verbal réédité ce matin ne liste toujours que 10 candidats : il en manque deux.',
      },
    ],
  },
  {
    key: 'contract-sent-back',
    by: 'direccte',
    app: 'PORTAIL_ALTERNANCE',
    problem: 'Problème de transmission',
    subject: 'Contrat d’apprentissage bloqué « en attente de transmission »',
    description:
      'Bonjour,\nun contrat d’apprentissage saisi par un employeur du Finistère reste au statut « en attente de transmission » depuis dix jours. L’employeur s’inquiète pour le versement de l’aide.\nYannick Le Goff',
    at: '-6 10:15',
    steps: [
      { at: '-6 10:40', by: 'agent', do: 'take' },
      {
        at: '-6 10:55',
        by: 'agent',
        do: 'escalate',
        message:
          'Le contrat n’apparaît pas dans la file de l’OPCO et je n’ai pas accès aux journaux de transmission : à regarder au niveau 2.',
      },
      { at: '-5 14:00', by: 'expert', do: 'take' },
      {
        at: '-4 10:20',
        by: 'expert',
        do: 'send_back',
        message:
          'Aucune anomalie de transmission : le contrat attend la signature électronique de l’employeur, relancé automatiquement. À expliquer au demandeur (niveau 1).',
      },
      { at: '-4 11:00', by: 'agent', do: 'take' },
    ],
  },
  {
    key: 'receipt-internal-note',
    by: 'demandeur',
    app: 'CERES',
    theme: 'base des agréments',
    problem: 'Problème d’édition',
    subject: 'BLOQUANT - édition du récépissé d’agrément en erreur',
    blocking: true,
    description:
      'Bonjour,\ndepuis lundi, le bouton « Éditer le récépissé » d’un agrément renouvelé affiche une page d’erreur. Sans récépissé, nous ne pouvons pas ouvrir la session du mois prochain.\nHélène Rivière',
    at: '-3 09:50',
    steps: [
      { at: '-3 10:30', by: 'agent', do: 'take' },
      {
        at: '-3 10:35',
        by: 'agent',
        do: 'internal_note',
        message:
          'Même erreur signalée par deux autres centres d’Occitanie cette semaine : sans doute le nouveau modèle de récépissé mis en ligne lundi. Je vérifie avec l’équipe CERES avant de répondre.',
      },
      {
        at: '-2 15:10',
        by: 'demandeur',
        do: 'add_info',
        message:
          'Je précise que l’erreur apparaît aussi pour les agréments renouvelés en janvier, pas seulement pour les nouveaux.',
      },
    ],
  },
  {
    key: 'remuneration-level-2',
    by: 'direccte',
    app: 'PORTAIL_ALTERNANCE',
    problem: 'Anomalie technique',
    subject: 'Calcul de la rémunération d’un apprenti de plus de 26 ans',
    description:
      'Bonjour,\npour un apprenti de 27 ans, le Portail calcule une rémunération à 53 % du SMIC alors que le contrat prévoit 100 %. L’employeur ne peut pas valider le contrat.\nYannick Le Goff',
    at: '-3 14:00',
    steps: [
      { at: '-3 14:30', by: 'agent', do: 'take' },
      {
        at: '-3 14:40',
        by: 'agent',
        do: 'escalate',
        message:
          'Règle de calcul à confirmer : l’écart n’apparaît que pour les apprentis de plus de 26 ans. Transmis au niveau 2.',
      },
      { at: '-2 10:00', by: 'expert', do: 'take' },
    ],
  },
  {
    key: 'session-awaiting',
    by: 'demandeur',
    app: 'CERES',
    theme: 'base des sessions',
    subject: 'Session introuvable dans la base des sessions',
    description:
      'Bonjour,\nla session que nous avons créée la semaine dernière n’apparaît plus dans la liste des sessions. Avons-nous fait une erreur ?',
    at: '-2 09:20',
    steps: [
      { at: '-2 09:45', by: 'agent', do: 'take' },
      {
        at: '-2 09:50',
        by: 'agent',
        do: 'ask_info',
        message:
          'Bonjour,\npouvez-vous nous communiquer le numéro de la session, s’il vous a été affiché, et la date à laquelle vous l’avez créée ? Nous pourrons alors la retrouver.\nCordialement,\nL’assistance',
      },
    ],
  },
  {
    key: 'session-duplicate',
    by: 'demandeur',
    app: 'CERES',
    theme: 'base des sessions',
    subject: 'Session disparue',
    description:
      'Bonjour,\nje ne retrouve plus notre session de la semaine dernière dans CERES. A-t-elle été supprimée ?\n(Je renvoie ma demande : je ne suis pas sûre que la première soit partie.)',
    at: '-2 09:35',
    steps: [{ at: '-2 09:52', by: 'agent', do: 'mark_duplicate', original: 'session-awaiting' }],
  },
  {
    key: 'on-behalf-new',
    by: 'direccte',
    onBehalf: { name: 'Morgane Le Bihan', email: 'morgane.le-bihan@demo.assistance.localhost', copy: true },
    app: 'CERES',
    theme: 'administration',
    subject: 'Habilitation CERES pour une unité départementale',
    description:
      'Bonjour,\nje dépose cette demande pour le compte de Morgane Le Bihan, de l’unité départementale du Finistère : elle a besoin d’un accès en consultation aux sessions de son département. Merci de lui répondre en copie.\nYannick Le Goff',
    at: '-1 11:15',
    steps: [],
  },
  {
    key: 'blocking-new',
    by: 'direccte',
    app: 'PORTAIL_ALTERNANCE',
    problem: 'Problème de connexion',
    subject: 'BLOQUANT - connexion impossible au Portail de l’Alternance',
    blocking: true,
    description:
      'Bonjour,\ndepuis ce matin, aucun agent de la DIRECCTE Bretagne ne parvient à se connecter au Portail de l’Alternance : la page reste blanche après la saisie du mot de passe.\nYannick Le Goff',
    at: '-1 16:40',
    steps: [],
  },
];

export const DEMO_REQUESTS: readonly DemoRequest[] = [...GUIDE_REQUESTS, ...RECENT_REQUESTS];
