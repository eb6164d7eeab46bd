/**
 * The notifications the portal sends: who receives each, the variables its template may use, and
 * the default French subject and body (an administrator's edited version, if any, replaces them).
 */

export type TemplateKey =
  | 'receipt'
  | 'complement_asked'
  | 'answered'
  | 'on_behalf_copy'
  | 'reopened'
  | 'reopened_by_requester'
  | 'reopened_by_desk'
  | 'closed'
  | 'auto_close_reminder'
  | 'info_added'
  | 'escalated'
  | 'assigned'
  | 'new_request'
  | 'digest'
  | 'invitation';

export type TemplateSpec = {
  key: TemplateKey;
  label: string;
  recipients: string;
  /** Variable name → what it holds (shown to administrators next to the fields). */
  variables: Record<string, string>;
  subject: string;
  body: string;
};

const REQUEST_VARIABLES = {
  numero: 'Numéro de la demande',
  sujet: 'Sujet de la demande',
  application: 'Application concernée',
  destinataire: 'Prénom et nom du destinataire',
  lien: 'Adresse de la demande sur le portail',
};

const SIGNATURE = 'Cordialement,\nL’assistance des Ministères sociaux';

const spec = (s: TemplateSpec) => s;

export const TEMPLATES: readonly TemplateSpec[] = [
  spec({
    key: 'receipt',
    label: 'Accusé de réception',
    recipients: 'Le demandeur, à l’enregistrement de sa demande',
    variables: REQUEST_VARIABLES,
    subject: '[Demande n° {{numero}}] Accusé de réception : {{sujet}}',
    body:
      'Bonjour {{destinataire}},\n\nVotre demande n° {{numero}} « {{sujet}} » a bien été reçue par l’assistance. ' +
      'Vous serez informé(e) par courriel de son avancement.\n\nSuivre la demande : {{lien}}\n\n' +
      SIGNATURE,
  }),
  spec({
    key: 'complement_asked',
    label: 'Complément demandé',
    recipients: 'Le demandeur, quand l’assistance lui demande un complément d’information',
    variables: { ...REQUEST_VARIABLES, message: 'Message de l’assistance' },
    subject: '[Demande n° {{numero}}] Complément d’information demandé',
    body:
      'Bonjour {{destinataire}},\n\nL’assistance a besoin d’un complément d’information pour traiter votre demande ' +
      'n° {{numero}} « {{sujet}} » :\n\n{{message}}\n\nMerci d’apporter ce complément depuis la page de la demande ' +
      '(« J’ajoute une information ») : {{lien}}\n\n' +
      SIGNATURE,
  }),
  spec({
    key: 'answered',
    label: 'Demande traitée (réponse)',
    recipients: 'Le demandeur, quand l’assistance répond à sa demande',
    variables: {
      ...REQUEST_VARIABLES,
      reponse: 'Réponse de l’assistance',
      documents: 'Documents joints à la réponse (liste, ou vide)',
    },
    subject: '[Demande n° {{numero}}] Votre demande a été traitée',
    body:
      'Bonjour {{destinataire}},\n\nVotre demande n° {{numero}} « {{sujet}} » a été traitée. Réponse de l’assistance :\n\n' +
      '{{reponse}}\n\n{{documents}}Si cette réponse vous convient, vous pouvez clore la demande depuis sa page ; ' +
      'sinon, indiquez pourquoi : {{lien}}\n\n' +
      SIGNATURE,
  }),
  spec({
    key: 'on_behalf_copy',
    label: 'Copie de la réponse à la personne pour qui la demande a été déposée',
    recipients: 'L’agent d’unité départementale pour qui une DIRECCTE a déposé la demande, si la copie est demandée',
    variables: {
      numero: 'Numéro de la demande',
      sujet: 'Sujet de la demande',
      destinataire: 'Nom de la personne',
      deposant: 'Personne qui a déposé la demande pour son compte',
      reponse: 'Réponse de l’assistance',
      documents: 'Documents joints à la réponse (liste, ou vide)',
    },
    subject: 'Réponse de l’assistance : {{sujet}}',
    body:
      'Bonjour {{destinataire}},\n\n{{deposant}} a déposé pour votre compte la demande n° {{numero}} « {{sujet}} ». ' +
      'Voici la réponse de l’assistance :\n\n{{reponse}}\n\n{{documents}}' +
      'Pour toute suite à donner, adressez-vous à {{deposant}}.\n\n' +
      SIGNATURE,
  }),
  spec({
    key: 'reopened',
    label: 'Réponse refusée (demande rouverte)',
    recipients: 'Le gestionnaire de la demande, ou à défaut les agents du niveau de la demande pour son application',
    variables: { ...REQUEST_VARIABLES, demandeur: 'Demandeur', commentaire: 'Commentaire du demandeur' },
    subject: '[Demande n° {{numero}}] Réponse refusée par le demandeur',
    body:
      'Bonjour {{destinataire}},\n\n{{demandeur}} a indiqué que la réponse à la demande n° {{numero}} « {{sujet}} » ' +
      '({{application}}) ne lui convient pas. La demande repasse en cours de traitement.\n\n' +
      'Commentaire du demandeur :\n\n{{commentaire}}\n\nVoir la demande : {{lien}}',
  }),
  spec({
    key: 'reopened_by_requester',
    label: 'Demande clôturée rouverte par le demandeur',
    recipients: 'Le gestionnaire de la demande, ou à défaut les agents du niveau de la demande pour son application',
    variables: { ...REQUEST_VARIABLES, demandeur: 'Demandeur', motif: 'Pourquoi le demandeur la rouvre' },
    subject: '[Demande n° {{numero}}] Demande rouverte par le demandeur',
    body:
      'Bonjour {{destinataire}},\n\n{{demandeur}} a rouvert la demande clôturée n° {{numero}} « {{sujet}} » ' +
      '({{application}}). Elle repasse en cours de traitement, avec de nouvelles échéances.\n\n' +
      'Pourquoi :\n\n{{motif}}\n\nVoir la demande : {{lien}}',
  }),
  spec({
    key: 'reopened_by_desk',
    label: 'Demande clôturée rouverte par l’assistance',
    recipients: 'Le demandeur, quand l’assistance rouvre sa demande clôturée',
    variables: { ...REQUEST_VARIABLES, motif: 'Pourquoi l’assistance la rouvre' },
    subject: '[Demande n° {{numero}}] Votre demande est rouverte',
    body:
      'Bonjour {{destinataire}},\n\nL’assistance a rouvert votre demande n° {{numero}} « {{sujet}} », ' +
      'qui était clôturée. Elle reprend son traitement :\n\n{{motif}}\n\nSuivre la demande : {{lien}}\n\n' +
      SIGNATURE,
  }),
  spec({
    key: 'closed',
    label: 'Demande clôturée',
    recipients: 'Le demandeur, quand sa demande est clôturée',
    variables: { ...REQUEST_VARIABLES, motif: 'Comment la demande a été clôturée' },
    subject: '[Demande n° {{numero}}] Votre demande a été clôturée',
    body:
      'Bonjour {{destinataire}},\n\nVotre demande n° {{numero}} « {{sujet}} » a été clôturée. {{motif}}\n\n' +
      'Consulter la demande : {{lien}}\n\n' +
      SIGNATURE,
  }),
  spec({
    key: 'auto_close_reminder',
    label: 'Rappel avant clôture automatique',
    recipients: 'Le demandeur d’une demande traitée restée sans réaction',
    variables: { ...REQUEST_VARIABLES, date_cloture: 'Date de la clôture automatique' },
    subject: '[Demande n° {{numero}}] Votre demande sera clôturée le {{date_cloture}}',
    body:
      'Bonjour {{destinataire}},\n\nL’assistance a répondu à votre demande n° {{numero}} « {{sujet}} ». ' +
      'Sans réaction de votre part, elle sera clôturée automatiquement le {{date_cloture}}.\n\n' +
      'Si la réponse vous convient, vous pouvez la clore dès maintenant ; sinon, indiquez pourquoi : {{lien}}\n\n' +
      SIGNATURE,
  }),
  spec({
    key: 'info_added',
    label: 'Information ajoutée par le demandeur',
    recipients: 'Le gestionnaire de la demande, ou à défaut les agents du niveau de la demande pour son application',
    variables: { ...REQUEST_VARIABLES, demandeur: 'Demandeur', message: 'Information ajoutée' },
    subject: '[Demande n° {{numero}}] Information ajoutée par le demandeur',
    body:
      'Bonjour {{destinataire}},\n\n{{demandeur}} a ajouté une information à la demande n° {{numero}} « {{sujet}} » ' +
      '({{application}}) :\n\n{{message}}\n\nVoir la demande : {{lien}}',
  }),
  spec({
    key: 'escalated',
    label: 'Demande transmise au niveau 2',
    recipients: 'Les experts (niveau 2) de l’application',
    variables: { ...REQUEST_VARIABLES, par: 'Agent qui a transmis la demande' },
    subject: '[Demande n° {{numero}}] Transmise au niveau 2 : {{sujet}}',
    body:
      'Bonjour {{destinataire}},\n\n{{par}} a transmis au niveau 2 la demande n° {{numero}} « {{sujet}} » ({{application}}).\n\n' +
      'Voir la demande : {{lien}}',
  }),
  spec({
    key: 'assigned',
    label: 'Demande assignée',
    recipients: 'La personne à qui une autre assigne la demande',
    variables: { ...REQUEST_VARIABLES, par: 'Personne qui a assigné la demande' },
    subject: '[Demande n° {{numero}}] Demande qui vous est assignée : {{sujet}}',
    body:
      'Bonjour {{destinataire}},\n\n{{par}} vous a assigné la demande n° {{numero}} « {{sujet}} » ({{application}}).\n\n' +
      'Voir la demande : {{lien}}',
  }),
  spec({
    key: 'new_request',
    label: 'Nouvelle demande',
    recipients: 'Les agents (niveau 1) de l’application qui ont choisi d’être prévenus à chaque demande',
    variables: { ...REQUEST_VARIABLES, demandeur: 'Demandeur', bloquant: '« Bloquant » ou « Non bloquant »' },
    subject: '[Demande n° {{numero}}] Nouvelle demande ({{application}}) : {{sujet}}',
    body:
      'Bonjour {{destinataire}},\n\nNouvelle demande n° {{numero}} de {{demandeur}} pour {{application}} ({{bloquant}}) :\n\n' +
      '« {{sujet}} »\n\nVoir la demande : {{lien}}',
  }),
  spec({
    key: 'digest',
    label: 'Récapitulatif quotidien des nouvelles demandes',
    recipients: 'Les agents (niveau 1) qui ont choisi un récapitulatif quotidien',
    variables: {
      destinataire: 'Prénom et nom du destinataire',
      nombre: 'Nombre de nouvelles demandes',
      demandes: 'Liste des nouvelles demandes, une par ligne, avec leur adresse',
      lien: 'Adresse du guichet',
    },
    subject: 'Nouvelles demandes de vos applications : {{nombre}}',
    body:
      'Bonjour {{destinataire}},\n\nNouvelles demandes de vos applications depuis le dernier récapitulatif ({{nombre}}) :\n\n' +
      '{{demandes}}\n\nLe guichet : {{lien}}\n\nVous pouvez changer la fréquence de ces courriels dans « Mon compte ».',
  }),
  spec({
    key: 'invitation',
    label: 'Invitation à un compte créé par un administrateur',
    recipients: 'La personne dont un administrateur vient de créer le compte (agent, expert, pilote ou administrateur)',
    variables: {
      destinataire: 'Prénom et nom du destinataire',
      identifiant: 'Identifiant du compte',
      role: 'Rôle du compte',
      lien: 'Adresse, à usage unique, où choisir son mot de passe',
      jours: 'Nombre de jours pendant lesquels le lien reste valable',
    },
    subject: 'Votre compte sur le portail d’assistance',
    body:
      'Bonjour {{destinataire}},\n\nUn administrateur vous a créé un compte « {{role}} » sur le portail d’assistance, ' +
      'avec l’identifiant {{identifiant}}. Pour choisir votre mot de passe, ouvrez ce lien :\n\n{{lien}}\n\n' +
      'Ce lien ne sert qu’une fois et expire dans {{jours}} jours.\n\n' +
      SIGNATURE,
  }),
];

const BY_KEY = new Map(TEMPLATES.map((t) => [t.key, t]));

export function templateSpec(key: string): TemplateSpec | undefined {
  return BY_KEY.get(key as TemplateKey);
}

/** A notification kind's name for people (outbox kinds are template keys). */
export const kindLabel = (kind: string) => templateSpec(kind)?.label ?? kind;

/** Sample values for the preview: each variable's description in brackets, or a realistic text. */
export function sampleValues(spec: TemplateSpec): Record<string, string> {
  const samples: Record<string, string> = {
    numero: '67100',
    sujet: 'Connexion impossible à CERES',
    application: 'CERES',
    destinataire: 'Hélène RIVIÈRE',
    lien: 'https://assistance.exemple.gouv.fr/demandes/67100',
    date_cloture: '15/12/2026',
    nombre: '2',
    bloquant: 'Bloquant',
    identifiant: 'hriviere',
    role: 'Agent (niveau 1)',
    jours: '7',
  };
  return Object.fromEntries(Object.entries(spec.variables).map(([name, label]) => [name, samples[name] ?? `[${label}]`]));
}
