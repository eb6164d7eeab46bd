/**
 * The new-request form's submission, shared by the requester's form and the desk's « Nouvelle
 * demande pour un appelant »: read the multipart form, validate every field, keep the files
 * sent under the form's token, and file the request when all is right, in one transaction.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { transaction } from '../../db/client.js';
import {
  dropUnkept,
  FORM_TOKEN,
  listStaged,
  type StagedFile,
  stageFiles,
  touchStaged,
} from '../../domain/attachments/staging.js';
import { ValidationError } from '../../domain/errors.js';
import { mailContextOf } from '../../domain/notifications/request-notifications.js';
import { getReferentials } from '../../domain/referentials/referentials.js';
import { type FileRequestOptions, fileRequest } from '../../domain/requests/commands/file-request.js';
import { type NewRequestInput, parseNewRequest } from '../../domain/requests/input.js';
import { linkFollowUp } from '../../domain/requests/links.js';
import type { FormState } from '../components/form.js';
import { actorOf } from '../plugins/actor-gate.js';
import { newFormToken } from '../shared/form-token.js';
import { readMultipart } from '../shared/multipart.js';

/** Fields a surface adds to the form: parsed into options of the command, or a ValidationError. */
export type ExtraFields = (fields: Record<string, string>) => Partial<Pick<FileRequestOptions, 'channel' | 'onBehalf'>>;

/** A valid form may be held back, not filed (the requester's suggestions step): true holds it. */
export type Hold = (input: NewRequestInput, fields: Record<string, string>, token: string) => Promise<boolean>;

export type Submission =
  | { filed: { id: number; number: number; created: boolean }; token: string; form?: undefined }
  | { filed: null; form: FormState; token: string; staged: StagedFile[]; held: boolean };

/** Runs `parse`, turning a ValidationError into field errors (other errors go on). */
function collect<T>(errors: Record<string, string>, parse: () => T): T | null {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    Object.assign(errors, error.fields);
    return null;
  }
}

export async function submitNewRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  /** `followUp`: the form may name the requester's closed request it follows (« suite »). */
  filing: { requesterId?: number; extras?: ExtraFields[]; hold?: Hold; followUp?: boolean },
): Promise<Submission> {
  const { db, config, files } = request.server.deps;
  const actor = actorOf(request);
  const form = await readMultipart(request, reply, { maxFiles: config.upload.maxFiles });
  const sent = form.fields.token;
  const token = sent && FORM_TOKEN.test(sent) ? sent : newFormToken();
  const refs = await getReferentials(db);
  const keep = (form.lists.keepFile ?? []).map(Number).filter(Number.isInteger);
  const errors: Record<string, string> = {};
  const input: NewRequestInput | null = collect(errors, () => parseNewRequest(form.fields, refs));
  const options: Partial<FileRequestOptions> = {};
  for (const extra of filing.extras ?? [])
    Object.assign(
      options,
      collect(errors, () => extra(form.fields)),
    );
  if (form.fileError) errors.files = form.fileError;
  const staged = await listStaged(db, actor.id, token);
  if (keep.length + form.files.length > config.upload.maxFiles && staged.length) {
    errors.files ??= `Vous pouvez joindre ${config.upload.maxFiles} fichiers au plus.`;
  }
  const ok = input !== null && Object.keys(errors).length === 0;
  const held = ok && input && filing.hold ? await filing.hold(input, form.fields, token) : false;
  const outcome = await transaction(db, async (tx) => {
    const dropped = staged.length ? await dropUnkept(tx, actor.id, token, keep) : [];
    if (staged.length) await touchStaged(tx, actor.id, token);
    await stageFiles(tx, actor.id, token, form.files);
    if (!ok || !input || held) return { dropped, filed: null };
    const filed = await fileRequest(tx, actor, input, {
      ...mailContextOf(config),
      ...options,
      requesterId: filing.requesterId,
      submissionToken: token,
      stagingToken: token,
    });
    if (filing.followUp && form.fields.suite) await linkFollowUp(tx, actor, filed, form.fields.suite);
    return { dropped, filed };
  });
  await Promise.all(outcome.dropped.map((key) => files.remove(key)));
  if (outcome.filed) return { filed: outcome.filed, token };
  return {
    filed: null,
    form: { values: { ...form.fields }, errors },
    token,
    staged: await listStaged(db, actor.id, token),
    held,
  };
}
