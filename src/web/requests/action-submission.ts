/**
 * An action form of the request page, sent: read the form (its files only for an action the
 * person may take now), stage the files and apply the action in one transaction, and say what
 * to show when it is refused — the request page again, with what was typed and why.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { transaction } from '../../db/client.js';
import { FORM_TOKEN, stageFiles } from '../../domain/attachments/staging.js';
import { ConflictError, NotFoundError, TransitionError, ValidationError } from '../../domain/errors.js';
import { mailContextOf } from '../../domain/notifications/request-notifications.js';
import { applyAction } from '../../domain/requests/commands/apply-action.js';
import { actionsOn } from '../../domain/requests/queries.js';
import { ACTIONS, type Action } from '../../domain/vocabulary.js';
import { actorOf } from '../plugins/actor-gate.js';
import { newFormToken } from '../shared/form-token.js';
import { type MultipartForm, readMultipart } from '../shared/multipart.js';
import type { ActionFormState } from './request-form-errors.js';

export type ActionSubmission = { done: true } | { done: false; failed: ActionFormState; status: number };

/** The actions a person takes from a form (the scheduler's own are not among them). */
const isFormAction = (value: unknown): value is Action => ACTIONS.includes(value as Action) && value !== 'auto_close';

export async function submitAction(request: FastifyRequest, reply: FastifyReply, number: number): Promise<ActionSubmission> {
  const { db, config, files: store } = request.server.deps;
  const actor = actorOf(request);
  // Files are stored only for an action the person may take now: refused ones leave nothing on disk.
  const acceptFiles = async (sent: Record<string, string>) =>
    isFormAction(sent.action) && ((await actionsOn(db, actor, number))?.includes(sent.action) ?? false);
  const { fields, files, fileError }: Omit<MultipartForm, 'lists'> = request.isMultipart()
    ? await readMultipart(request, reply, { maxFiles: config.upload.maxFiles, acceptFiles })
    : { fields: (request.body ?? {}) as Record<string, string>, files: [] };
  const action = fields.action;
  if (!isFormAction(action)) throw new NotFoundError();
  const message = (fields.message ?? '').slice(0, 20000);
  const token = FORM_TOKEN.test(fields.token ?? '') ? fields.token : undefined;
  // Files sent without a form token (a client of its own) are staged under a fresh one, not left behind.
  const stagingToken = token ?? (files.length ? newFormToken() : undefined);
  const discardFiles = () => Promise.all(files.map((f) => store.remove(f.storageKey)));
  const refused = (errors: Record<string, string>, status = 422, alert?: string): ActionSubmission => {
    const values = { message, duplicateOfNumber: (fields.duplicateOfNumber ?? '').slice(0, 40) };
    return { done: false, failed: { action, form: { values, errors }, alert }, status };
  };
  if (fileError) {
    await discardFiles();
    return refused({ files: fileError });
  }
  try {
    await transaction(db, async (tx) => {
      if (stagingToken) await stageFiles(tx, actor.id, stagingToken, files);
      return applyAction(
        tx,
        actor,
        number,
        action,
        {
          message,
          assigneeId: fields.assigneeId ? Number(fields.assigneeId) : null,
          expectedVersion: fields.version ? Number(fields.version) : undefined,
          submissionToken: token,
          stagingToken,
          duplicateOfNumber: fields.duplicateOfNumber,
        },
        mailContextOf(config),
      );
    });
    return { done: true };
  } catch (error) {
    await discardFiles();
    // A missing message is checked after the permission: a forbidden action is a 409 either way.
    if (error instanceof ValidationError) {
      const [field, text] = Object.entries(error.fields)[0] ?? ['message', error.message];
      return refused({ [field]: text });
    }
    if (error instanceof TransitionError || error instanceof ConflictError) return refused({}, 409, error.message);
    throw error;
  }
}
