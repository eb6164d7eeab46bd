/**
 * The error summary of a refused form of the request page (an action, a link, a duplicate, a
 * canned answer to insert): each error links to its field, in the form that was sent.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACTION_LABELS } from '../../domain/requests/workflow.js';
import type { Action } from '../../domain/vocabulary.js';
import { ErrorSummary, type FormState } from '../components/form.js';

/** A form of the request page sent and refused (or sent back as a draft): which one, what was typed, its errors. */
export type ActionFormState = { action: Action | 'link'; form: FormState; alert?: string; draft?: boolean };

/** Shows request `number` to the person, with a refused form when there is one (request-routes.tsx). */
export type ShowRequest = (
  request: FastifyRequest,
  reply: FastifyReply,
  number: number,
  failed?: ActionFormState,
  status?: number,
) => Promise<unknown>;

export function RequestFormErrors({ failed }: { failed?: ActionFormState }) {
  if (!failed || failed.draft) return null;
  const action = failed.action;
  const title = action === 'link' ? 'Demandes liées' : ACTION_LABELS[action];
  return (
    <ErrorSummary
      form={failed.form}
      labels={{
        message: [title, `${action}-message`],
        files: ['Ajouter un fichier', `${action}-files`],
        cannedAnswerId: ['Réponse type', `${action}-canned`],
        linkNumber: 'Lier à la demande n°',
        duplicateOfNumber: 'Numéro de la demande d’origine',
      }}
    />
  );
}
