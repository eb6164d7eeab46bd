/**
 * Messages about accounts: French, with the portal's name, a link built from the public address,
 * and the automatic-message notice.
 */
import type { Mail } from './outbox.js';

const SERVICE = 'Assistance des applications des Ministères sociaux';

const sign = (body: string) =>
  `${body}\n\nCordialement,\nL’${SERVICE.charAt(0).toLowerCase()}${SERVICE.slice(1)}\n\n— Ceci est un message automatique ; merci de ne pas y répondre.`;

export function accountRequestReceivedMail(to: string, name: string): Mail {
  return {
    kind: 'account_request_received',
    to,
    subject: `[${SERVICE}] Votre demande de compte a bien été reçue`,
    body: sign(
      `Bonjour ${name},\n\nVotre demande de compte sur le portail ${SERVICE} a bien été reçue. ` +
        'L’assistance va l’examiner ; vous recevrez un courriel d’activation dès qu’elle sera validée.',
    ),
  };
}

/** Sent to the holder of an address already known, instead of revealing it to whoever asked. */
export function accountAlreadyExistsMail(to: string, publicUrl: string): Mail {
  return {
    kind: 'account_already_exists',
    to,
    subject: `[${SERVICE}] Demande de compte avec votre adresse`,
    body: sign(
      `Bonjour,\n\nUne demande de compte a été faite avec votre adresse électronique, qui correspond déjà à un compte du portail ${SERVICE}. ` +
        `Si c’est vous, inutile de créer un nouveau compte : connectez-vous, ou choisissez un nouveau mot de passe depuis ${publicUrl}/mot-de-passe-oublie. ` +
        'Si ce n’est pas vous, ignorez ce message.',
    ),
  };
}

export function activationMail(to: string, name: string, link: string, days: number): Mail {
  return {
    kind: 'activation',
    to,
    subject: `[${SERVICE}] Activez votre compte`,
    body: sign(
      `Bonjour ${name},\n\nVotre demande de compte a été validée. Pour activer votre compte, ouvrez ce lien puis confirmez :\n\n${link}\n\n` +
        `Ce lien ne sert qu’une fois et expire dans ${days} jours.`,
    ),
  };
}

export function accountRefusedMail(to: string, name: string, reason: string): Mail {
  return {
    kind: 'account_refused',
    to,
    subject: `[${SERVICE}] Votre demande de compte n’a pas été acceptée`,
    body: sign(
      `Bonjour ${name},\n\nVotre demande de compte n’a pas été acceptée, pour la raison suivante :\n\n${reason}\n\n` +
        'Pour toute question, contactez l’assistance.',
    ),
  };
}

export function passwordResetMail(to: string, name: string, link: string): Mail {
  return {
    kind: 'password_reset',
    to,
    subject: `[${SERVICE}] Choisir un nouveau mot de passe`,
    body: sign(
      `Bonjour ${name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien :\n\n${link}\n\n` +
        'Ce lien ne sert qu’une fois et expire dans une heure. Si vous n’avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.',
    ),
  };
}

export function passwordChangedMail(to: string, name: string, publicUrl: string): Mail {
  return {
    kind: 'password_changed',
    to,
    subject: `[${SERVICE}] Votre mot de passe a été changé`,
    body: sign(
      `Bonjour ${name},\n\nLe mot de passe de votre compte vient d’être changé ; vos autres sessions ont été fermées. ` +
        `Si vous n’êtes pas à l’origine de ce changement, choisissez tout de suite un nouveau mot de passe depuis ${publicUrl}/mot-de-passe-oublie et prévenez l’assistance.`,
    ),
  };
}
