/**
 * Plain French messages about a request. Internal notes never go into them.
 */
import type { Mail } from './outbox.js';

type RequestRef = { id: number; number: number; subject: string };
type Recipient = { email: string; displayName: string };

const link = (publicUrl: string, number: number) => `${publicUrl}/demandes/${number}`;

const footer = (publicUrl: string, request: RequestRef) =>
  `\n\nSuivre la demande : ${link(publicUrl, request.number)}\n\n` +
  'Cordialement,\nL’assistance des Ministères sociaux\n\n' +
  '— Ce message est envoyé automatiquement ; merci de ne pas y répondre directement.';

export function receiptMail(publicUrl: string, request: RequestRef, to: Recipient): Mail {
  return {
    kind: 'receipt',
    requestId: request.id,
    to: to.email,
    subject: `[Demande n° ${request.number}] Accusé de réception : ${request.subject}`,
    body:
      `Bonjour ${to.displayName},\n\n` +
      `Votre demande n° ${request.number} « ${request.subject} » a bien été reçue par l’assistance. ` +
      'Vous serez informé(e) par courriel de son avancement.' +
      footer(publicUrl, request),
  };
}

export function complementAskedMail(publicUrl: string, request: RequestRef, to: Recipient, message: string): Mail {
  return {
    kind: 'complement_asked',
    requestId: request.id,
    to: to.email,
    subject: `[Demande n° ${request.number}] Complément d’information demandé`,
    body:
      `Bonjour ${to.displayName},\n\n` +
      `L’assistance a besoin d’un complément d’information pour traiter votre demande n° ${request.number} « ${request.subject} » :\n\n` +
      `${message}\n\n` +
      'Merci d’apporter ce complément depuis la page de la demande (« J’ajoute une information »).' +
      footer(publicUrl, request),
  };
}

export function answeredMail(publicUrl: string, request: RequestRef, to: Recipient, answer: string, files: string[]): Mail {
  const attached = files.length ? `\n\nDocuments joints à la réponse : ${files.join(', ')} (sur la page de la demande).` : '';
  return {
    kind: 'answered',
    requestId: request.id,
    to: to.email,
    subject: `[Demande n° ${request.number}] Votre demande a été traitée`,
    body:
      `Bonjour ${to.displayName},\n\n` +
      `Votre demande n° ${request.number} « ${request.subject} » a été traitée. Réponse de l’assistance :\n\n` +
      `${answer}${attached}\n\n` +
      'Si cette réponse vous convient, vous pouvez clore la demande depuis sa page ; sinon, indiquez pourquoi.' +
      footer(publicUrl, request),
  };
}
