/**
 * The audit trail in French: each action code as a sentence, each target (« user:5 ») as what it
 * names, with a link to its page where there is one. An unknown code is shown as stored.
 */

const ACTIONS: Record<string, string> = {
  'account.activate': 'Compte activé',
  'account.coordinates': 'Coordonnées modifiées',
  'account.deletion_requested': 'Suppression du compte demandée',
  'account.email_change_requested': 'Changement d’adresse électronique demandé',
  'account.email_changed': 'Adresse électronique modifiée',
  'account.export': 'Export des données personnelles',
  'account.invitation_accepted': 'Mot de passe choisi depuis l’invitation (compte activé)',
  'account.password_changed': 'Mot de passe modifié',
  'account.sessions_closed': 'Autres sessions fermées',
  'account_request.approve': 'Demande de compte validée',
  'account_request.known_email': 'Demande de compte pour une adresse déjà connue',
  'account_request.refuse': 'Demande de compte refusée',
  'account_request.submit': 'Demande de compte déposée',
  'canned_answer.activate': 'Réponse type activée',
  'canned_answer.create': 'Réponse type créée',
  'canned_answer.deactivate': 'Réponse type désactivée',
  'canned_answer.update': 'Réponse type modifiée',
  'document.create': 'Document créé',
  'document.publish': 'Document publié',
  'document.unpublish': 'Document retiré',
  'document.update': 'Document modifié',
  'document.version': 'Nouvelle version d’un document',
  'faq.create': 'Question de la FAQ créée',
  'faq.create_from_request': 'Question de la FAQ rédigée depuis une demande',
  'faq.publish': 'Question de la FAQ publiée',
  'faq.unpublish': 'Question de la FAQ retirée',
  'faq.update': 'Question de la FAQ modifiée',
  'inbound.refused': 'Courriel reçu refusé',
  'login.failure': 'Échec de connexion',
  'login.proconnect.failure': 'Échec de connexion par ProConnect',
  'login.proconnect.no_account': 'Connexion par ProConnect sans compte',
  'login.proconnect.refused': 'Connexion par ProConnect refusée',
  'login.proconnect.success': 'Connexion par ProConnect',
  'login.second_factor.failure': 'Code de double authentification refusé',
  'login.second_factor.success': 'Connexion avec la double authentification',
  'login.second_factor.throttled': 'Double authentification suspendue après trop d’essais',
  'login.success': 'Connexion',
  'login.throttled': 'Connexion suspendue après trop d’essais',
  logout: 'Déconnexion',
  'news.create': 'Actualité créée',
  'news.publish': 'Actualité publiée',
  'news.unpublish': 'Actualité retirée',
  'news.update': 'Actualité modifiée',
  'password_reset.done': 'Mot de passe réinitialisé',
  'password_reset.request': 'Lien « Mot de passe oublié ? » demandé',
  'settings.update': 'Paramètres modifiés',
  'template.reset': 'Modèle de courriel rétabli',
  'template.update': 'Modèle de courriel modifié',
  'totp.disable_failure': 'Désactivation de la double authentification refusée',
  'totp.disabled': 'Double authentification désactivée',
  'totp.enabled': 'Double authentification activée',
  'totp.enrolment_started': 'Activation de la double authentification commencée',
  'totp.recovery_code.used': 'Code de secours utilisé',
  'user.activation_resent': 'Lien d’activation renvoyé',
  'user.create': 'Compte créé par un administrateur (invitation envoyée)',
  'user.disable': 'Compte désactivé',
  'user.enable': 'Compte réactivé',
  'user.invitation_resent': 'Invitation renvoyée',
  'user.update': 'Compte modifié',
};

export const auditActionLabel = (action: string) => ACTIONS[action] ?? action;

/** The action filter's groups: each code goes to the first group whose prefix it starts with. */
const ACTION_GROUPS: [string, string[]][] = [
  ['Connexions et double authentification', ['login', 'logout', 'totp', 'password_reset']],
  ['Comptes', ['account.', 'account_request', 'user']],
  ['Contenus', ['canned_answer', 'document', 'faq', 'news']],
  ['Administration', ['settings', 'template', 'inbound']],
];

const groupOf = (code: string) => ACTION_GROUPS.find(([, prefixes]) => prefixes.some((p) => code.startsWith(p)))?.[0];

/** Every known action, grouped and labelled, for a select (`<optgroup>` per group). */
export function auditActionGroups(): { label: string; options: { value: string; label: string }[] }[] {
  const codes = Object.keys(ACTIONS);
  return ACTION_GROUPS.map(([label]) => ({
    label,
    options: codes
      .filter((code) => groupOf(code) === label)
      .map((value) => ({ value, label: auditActionLabel(value) }))
      .sort((a, b) => a.label.localeCompare(b.label, 'fr')),
  }));
}

/** What each kind of target is called, and the page that shows it when there is one. */
const TARGETS: Record<string, { label: string; href?: (id: string) => string }> = {
  request: { label: 'Demande' },
  user: { label: 'Compte', href: (id) => `/admin/utilisateurs/${id}` },
  account_request: { label: 'Demande de compte', href: (id) => `/admin/demandes-de-compte/${id}` },
  template: { label: 'Modèle de courriel', href: (key) => `/admin/modeles/${encodeURIComponent(key)}` },
  canned_answer: { label: 'Réponse type' },
  document: { label: 'Document' },
  faq: { label: 'Question de la FAQ' },
  news: { label: 'Actualité' },
};

/** The types of object, for the object filter's select. */
export const auditTargetKinds = () =>
  Object.entries(TARGETS)
    .map(([value, { label }]) => ({ value, label }))
    .sort((a, b) => a.label.localeCompare(b.label, 'fr'));

export type AuditTarget = { text: string; href?: string };

export function auditTarget(target: string | null): AuditTarget | null {
  if (!target) return null;
  const match = /^([a-z_]+):(.+)$/.exec(target);
  const kind = match && TARGETS[match[1] ?? ''];
  if (!match || !kind) return { text: target };
  const id = match[2] ?? '';
  return { text: `${kind.label} ${/^\d+$/.test(id) ? `n° ${id}` : `« ${id} »`}`, href: kind.href?.(id) };
}
