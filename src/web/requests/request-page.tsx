import { isStaff } from '../../domain/access.js';
import { isPreviewable } from '../../domain/attachments/preview.js';
import { formatBytes } from '../../domain/attachments/store.js';
import type { CannedAnswerOption } from '../../domain/canned-answers/canned-answers.js';
import { de } from '../../domain/french.js';
import { CHANNEL_LABELS } from '../../domain/requests/input.js';
import type { EventView, FileView, RequestView } from '../../domain/requests/queries.js';
import type { EventKind } from '../../domain/vocabulary.js';
import { Alert, type FormState } from '../components/form.js';
import { StatusBadge } from '../components/requests.js';
import { FactsTable } from '../components/table.js';
import { Page } from '../layout/page.js';
import { formatDateTime, isoDate } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';
import { MailFailures } from './mail-failures.js';
import { ActionForms, type Assignee } from './request-actions.js';
import { type ActionFormState, RequestFormErrors } from './request-form-errors.js';
import { duplicateLabel, RequestLinks } from './request-links.js';
import { ResourcesSection } from './resources-section.js';
import { SatisfactionSection } from './satisfaction-section.js';
import { ServiceLevelFacts } from './service-level.js';

/**
 * A refused action form: which one, what was typed, and why (`link`: the form of « Demandes liées »).
 * `draft`: not refused, shown again with text added (a canned answer inserted without JavaScript).
 */

type Props = {
  ctx: ViewContext;
  mailFailures?: Parameters<typeof MailFailures>[0]['failures'];
  request: RequestView;
  token: string;
  assignees: Assignee[];
  limits: { maxFileBytes: number; maxFiles: number };
  notice?: string;
  failed?: ActionFormState;
  canned?: CannedAnswerOption[];
  /** A refused satisfaction survey: what was typed, and why. */
  survey?: FormState;
};

export function RequestPage({ ctx, request: r, token, assignees, limits, notice, failed, survey, mailFailures, canned }: Props) {
  const staff = isStaff(ctx.actor);
  // The requester asked for a complement reads the question, then answers it, before anything else
  // (a colleague who sees the request through the structure cannot answer: nothing is moved for them).
  const question = !staff && r.actions.includes('add_info') ? r.openQuestion : null;
  const actionForms = (
    <ActionForms ctx={ctx} request={r} token={token} assignees={assignees} limits={limits} failed={failed} canned={canned} />
  );
  return (
    <Page
      ctx={ctx}
      title={`Suivi de la demande n° ${r.number}`}
      failed={(Boolean(failed) && !failed?.draft) || Boolean(survey)}
      breadcrumb={[
        { label: 'Accueil', href: '/' },
        staff ? { label: 'Guichet', href: '/guichet' } : { label: 'Mes demandes', href: '/demandes' },
        { label: `Demande n° ${r.number}` },
      ]}
    >
      <h1>{`Suivi de la demande n° ${r.number}`}</h1>
      {notice && (
        <Alert kind="success" title={notice}>
          {staff && (
            <p>
              <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href={`/guichet/suivante?apres=${r.number}`}>
                Demande suivante
              </a>
            </p>
          )}
        </Alert>
      )}
      {failed?.alert && (
        <Alert kind="error" title="Action impossible">
          <p>{failed.alert}</p>
          <TypedText failed={failed} offered={r.actions} />
        </Alert>
      )}
      <RequestFormErrors failed={failed} />
      <MailFailures failures={mailFailures} />
      <Summary r={r} staff={staff} />
      <ServiceLevelFacts request={r} />
      {r.latestAnswer && <LatestAnswer answer={r.latestAnswer} />}
      {question && <OpenQuestion question={question} />}
      {question && actionForms}
      <section class="fr-mt-4w" aria-labelledby="description-title">
        <h2 id="description-title" class="fr-h4">
          Description
        </h2>
        <div class="guichet-text">{r.description}</div>
        {r.files.length > 0 && <Files files={r.files} title="Pièces jointes" />}
      </section>
      {!question && actionForms}
      <SatisfactionSection ctx={ctx} request={r} form={survey} />
      {/* What happened comes before the forms that link this request to others. */}
      <History
        events={r.events}
        duplicateOf={r.duplicateOf}
        creation={creationNote(r)}
        staffName={staff ? null : ctx.settings.staffNameInHistory || null}
      />
      <ResourcesSection ctx={ctx} request={r} links={<RequestLinks ctx={ctx} request={r} token={token} failed={failed} />} />
    </Page>
  );
}

function Summary({ r, staff }: { r: RequestView; staff: boolean }) {
  const rows: [string, preact.ComponentChildren][] = [
    ['Sujet', r.subject],
    ['Statut', <StatusBadge status={r.status} key="s" />],
    ['Application', r.applicationName],
    ['Thème', r.themeName ?? '—'],
    ['Type de problème', r.problemTypeName ?? '—'],
    ['Bloquant', r.blocking ? 'Bloquant' : 'Non bloquant'],
    [
      'Création',
      <time dateTime={isoDate(r.createdAt)} key="c">
        {formatDateTime(r.createdAt)}
      </time>,
    ],
    [
      'Mise à jour',
      <time dateTime={isoDate(r.updatedAt)} key="u">
        {formatDateTime(r.updatedAt)}
      </time>,
    ],
    ['Demandeur', r.requesterName],
    ...onBehalfFacts(r),
    ['Gestionnaire demande', r.assigneeName ?? 'Pas encore pris en charge'],
    ['Structure', r.structureName ?? '—'],
    ['Nature de structure', r.natureName ?? '—'],
    ['Type de structure', r.typeName ?? '—'],
    ['Référence métier', r.businessReference ?? '—'],
  ];
  if (staff) rows.push(['Niveau', r.level === 2 ? 'Niveau 2 (transmise)' : 'Niveau 1']);
  if (staff) rows.push(['Canal', CHANNEL_LABELS[r.channel].replace(/^./, (c) => c.toUpperCase())]);
  return <FactsTable caption="Informations de la demande" rows={rows} variant=" fr-mb-2w" pairs />;
}

function LatestAnswer({ answer }: { answer: EventView }) {
  return (
    <section class="fr-callout fr-callout--green-emeraude fr-mt-2w" aria-labelledby="answer-title">
      <h2 class="fr-callout__title fr-h5" id="answer-title">
        Réponse de l’assistance
      </h2>
      <div class="fr-callout__text guichet-text">{answer.body}</div>
      {answer.files.length > 0 && <Files files={answer.files} title="Documents joints à la réponse" />}
    </section>
  );
}

function OpenQuestion({ question }: { question: EventView }) {
  return (
    <section class="fr-callout fr-callout--blue-ecume fr-mt-2w" aria-labelledby="question-title">
      <h2 class="fr-callout__title fr-h5" id="question-title">
        L’assistance attend votre réponse
      </h2>
      <p class="fr-text--sm fr-mb-1w">
        {'Question posée le '}
        <time dateTime={isoDate(question.at)}>{formatDateTime(question.at)}</time>
      </p>
      <div class="fr-callout__text guichet-text">{question.body}</div>
      {question.files.length > 0 && <Files files={question.files} title="Documents joints à la question" />}
      <p class="fr-text--sm fr-mt-2w fr-mb-0">Répondez avec « J’ajoute une information » ci-dessous.</p>
    </section>
  );
}

export function Files({ files, title }: { files: FileView[]; title: string }) {
  return (
    <div class="fr-mt-2w">
      <p class="fr-text--bold fr-mb-1w">{title}</p>
      <ul>
        {files.map((f) => (
          <li key={f.id}>
            <a class="fr-link fr-icon-download-line fr-link--icon-right" href={`/pieces-jointes/${f.id}`} download>
              {f.name} <span class="fr-text--xs">{`(${formatBytes(f.sizeBytes)})`}</span>
            </a>
            {isPreviewable(f.mediaType) && <Preview file={f} />}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * An image or a PDF's first page seen without downloading the file: the portal's re-encoded copy,
 * which also leads to the download.
 * Sized by the style sheet (no dimensions are stored): it never overflows a narrow screen.
 */
function Preview({ file }: { file: FileView }) {
  return (
    <a class="guichet-preview" href={`/pieces-jointes/${file.id}`} download>
      <img src={`/pieces-jointes/${file.id}/apercu`} alt={previewText(file)} loading="lazy" />
    </a>
  );
}

const previewText = (file: FileView) =>
  file.mediaType === 'application/pdf' ? `Aperçu de la première page de ${file.name}` : `Aperçu de ${file.name}`;

/** The guide's wording of each event. */
const EVENT_LABELS: Record<Exclude<EventKind, 'created' | 'mark_duplicate'>, string> = {
  take: 'Prise en charge',
  ask_info: 'complément demandé à l’utilisateur',
  add_info: 'pour information',
  resolve: 'Réponse de l’assistance',
  escalate: 'Transmise au niveau 2',
  send_back: 'Renvoyée au niveau 1',
  internal_note: 'Note interne',
  reassign: 'Réassignation',
  accept: 'Cette réponse me convient, je clos la demande',
  refuse: 'Cette réponse ne me convient pas',
  auto_close: 'Clôturée automatiquement, sans réaction du demandeur',
  auto_close_reminder: 'Rappel avant la clôture automatique',
  link: 'Demande liée',
  unlink: 'Lien retiré',
  satisfaction: 'Avis du demandeur',
  resource_link: 'Ressource associée',
  resource_unlink: 'Ressource retirée',
  reopen: 'Demande rouverte',
};

function History({
  events,
  duplicateOf,
  creation,
  staffName,
}: {
  events: EventView[];
  duplicateOf: RequestView['duplicateOf'];
  creation: string;
  /** What a requester reads for the desk's steps (« l’assistance »); null: each agent's name. */
  staffName: string | null;
}) {
  const author = (e: EventView) =>
    e.actorIsStaff && staffName ? staffName : e.actorStructure ? `${e.actorName} (${e.actorStructure})` : e.actorName;
  const label = (kind: EventKind) =>
    kind === 'created' ? undefined : kind === 'mark_duplicate' ? duplicateLabel(duplicateOf) : EVENT_LABELS[kind];
  return (
    <section class="fr-mt-6w" aria-labelledby="history-title">
      <h2 id="history-title" class="fr-h4">
        Historique
      </h2>
      <ol class="guichet-history">
        {events.map((e) => (
          <li key={e.id} class={e.internal ? 'guichet-history__item guichet-history__item--internal' : 'guichet-history__item'}>
            <p class="fr-mb-1w">
              {e.kind === 'created' ? 'Créée par ' : 'Mis à jour par '}
              <strong>{author(e)}</strong>
              {e.kind === 'created' && creation}
              {' le '}
              <time dateTime={isoDate(e.at)}>{formatDateTime(e.at)}</time>
            </p>
            <p class="fr-mb-1w">
              {e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus ? (
                <>
                  <StatusBadge status={e.fromStatus} small /> <span aria-hidden="true">→</span>
                  <span class="fr-sr-only">devient</span> <StatusBadge status={e.toStatus} small />
                </>
              ) : (
                e.toStatus && <StatusBadge status={e.toStatus} small />
              )}
              {e.internal && <span class="fr-badge fr-badge--sm fr-badge--purple-glycine fr-ml-1w">Interne</span>}
            </p>
            {label(e.kind) && <p class="fr-text--bold fr-mb-1w">{label(e.kind)}</p>}
            {e.body && <div class="guichet-text">{e.body}</div>}
            {e.files.length > 0 && <Files files={e.files} title="Fichiers" />}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** What follows « Créée par … »: the desk filing for a caller, a regional user for a local-unit agent. */
export function creationNote(r: Pick<RequestView, 'createdById' | 'requesterId' | 'requesterName' | 'channel' | 'onBehalf'>) {
  const parts: string[] = [];
  if (r.createdById !== r.requesterId) parts.push(`pour ${r.requesterName} (${CHANNEL_LABELS[r.channel]})`);
  if (r.onBehalf) parts.push(`pour le compte ${de(r.onBehalf.name)} (unité locale)`);
  return parts.length ? ` ${parts.join(', ')}` : '';
}

function onBehalfFacts({ onBehalf }: RequestView): [string, string][] {
  if (!onBehalf) return [];
  const copy = onBehalf.copy
    ? 'l’agent reçoit une copie de la réponse, sans lien vers le portail'
    : 'l’agent ne reçoit pas de copie de la réponse';
  return [['Pour le compte de', `${onBehalf.name} (unité locale), ${onBehalf.email} : ${copy}`]];
}

/** The text typed for an action the page no longer offers (someone else acted first): shown, so it is not lost. */
function TypedText({ failed, offered }: { failed: ActionFormState; offered: readonly string[] }) {
  const text = failed.form.values.message;
  if (!text || offered.includes(failed.action)) return null;
  return (
    <>
      <p class="fr-mb-1w">Votre texte, que vous pouvez copier :</p>
      <blockquote class="guichet-typed-text">{text}</blockquote>
    </>
  );
}
