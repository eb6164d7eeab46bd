/**
 * Editors' pages for documents: the list, the form (new or existing), publication and new versions.
 */

import { formatBytes } from '../../domain/attachments/store.js';
import { DOCUMENT_FORMATS_LABEL } from '../../domain/knowledge/documents-files.js';
import type { DocumentCard } from '../../domain/knowledge/documents-queries.js';
import { AUDIENCE_LABELS, AUDIENCES } from '../../domain/knowledge/policy.js';
import type { Referentials } from '../../domain/referentials/referentials.js';
import { Alert, Csrf, ErrorSummary, type FormState, Input, RadioGroup, Textarea } from '../components/form.js';
import { Page } from '../layout/page.js';
import { ApplicationSelect, ThemeSelect } from '../shared/application-select.js';
import { formatDate, formatDateTime } from '../shared/format.js';
import type { ViewContext } from '../shared/view-context.js';
import { DownloadLink, fileHref, versionHref } from './documents-pages.js';
import { StateBadge } from './editing-index.js';

export const EDIT_BASE = '/redaction/documents';

export const DOCUMENT_LABELS: Record<string, string | [string, string]> = {
  title: 'Titre',
  summary: 'Résumé',
  applicationId: 'Application',
  themeId: 'Thématique',
  audience: ['Lecteurs', 'audience-fieldset'],
  file: 'Fichier',
};

const crumbs = (last: { label: string; href?: string }[]) => [
  { label: 'Accueil', href: '/' },
  { label: 'Rédaction', href: '/redaction' },
  { label: 'Documents', href: last.length ? EDIT_BASE : undefined },
  ...last,
];

export function DocumentsListPage({ ctx, docs }: { ctx: ViewContext; docs: DocumentCard[] }) {
  return (
    <Page ctx={ctx} title="Documents – Rédaction" breadcrumb={crumbs([])}>
      <h1>Documents</h1>
      <p>
        <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href={`${EDIT_BASE}/nouveau`}>
          Nouveau document
        </a>
      </p>
      <div class="fr-table">
        <table>
          <caption>Documents de la base documentaire</caption>
          <thead>
            <tr>
              <th scope="col">Titre</th>
              <th scope="col">Application et thématique</th>
              <th scope="col">Lecteurs</th>
              <th scope="col">État</th>
              <th scope="col">Version</th>
              <th scope="col">Modifié le</th>
            </tr>
          </thead>
          <tbody>
            {docs.map((d) => (
              <tr key={d.id}>
                <td>
                  <a href={`${EDIT_BASE}/${d.id}`}>{d.title}</a>
                </td>
                <td>{[d.applicationName, d.themeName].filter(Boolean).join(' › ')}</td>
                <td>{AUDIENCE_LABELS[d.audience]}</td>
                <td>
                  <StateBadge published={d.published} />
                </td>
                <td>{d.version ?? '—'}</td>
                <td>{formatDate(d.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {docs.length === 0 && <p>Aucun document pour le moment.</p>}
    </Page>
  );
}

function FileInput({ form, label }: { form: FormState; label: string }) {
  const error = form.errors.file;
  return (
    <div class={`fr-upload-group${error ? ' fr-upload-group--error' : ''}`}>
      <label class="fr-label" for="file">
        {label} *<span class="fr-hint-text">{`Formats acceptés : ${DOCUMENT_FORMATS_LABEL}.`}</span>
      </label>
      <input
        class="fr-upload"
        type="file"
        id="file"
        name="file"
        aria-required="true"
        aria-describedby="file-messages"
        aria-invalid={error ? 'true' : undefined}
      />
      <div class="fr-messages-group" id="file-messages" aria-live="polite">
        {error && <p class="fr-message fr-message--error">{error}</p>}
      </div>
    </div>
  );
}

function DocumentFields({ form, refs }: { form: FormState; refs: Referentials }) {
  return (
    <>
      <Input form={form} name="title" label="Titre" required />
      <Textarea form={form} name="summary" label="Résumé" hint="Quelques lignes affichées sous le titre." rows={4} />
      <ApplicationSelect form={form} refs={refs} label="Application" required />
      <ThemeSelect
        form={form}
        refs={refs}
        label="Thématique"
        hint="Une thématique de l’application choisie, ou aucune."
        placeholder="Aucune thématique"
      />
      <RadioGroup
        form={form}
        name="audience"
        legend="Lecteurs"
        required
        options={AUDIENCES.map((value) => ({ value, label: AUDIENCE_LABELS[value] }))}
      />
    </>
  );
}

export function NewDocumentPage({ ctx, form, refs }: { ctx: ViewContext; form: FormState; refs: Referentials }) {
  const failed = Object.keys(form.errors).length > 0;
  return (
    <Page ctx={ctx} title="Nouveau document – Rédaction" failed={failed} breadcrumb={crumbs([{ label: 'Nouveau document' }])}>
      <h1>Nouveau document</h1>
      <ErrorSummary form={form} labels={DOCUMENT_LABELS} />
      {failed && form.errors.file === undefined && (
        <p class="fr-text--sm">Le fichier n’a pas été conservé : choisissez-le à nouveau.</p>
      )}
      <p class="fr-text--sm">Les champs marqués d’un astérisque (*) sont obligatoires. Le document est créé en brouillon.</p>
      <form method="post" action={`${EDIT_BASE}/nouveau`} enctype="multipart/form-data" novalidate>
        <Csrf token={ctx.csrfToken} />
        <DocumentFields form={form} refs={refs} />
        <FileInput form={form} label="Fichier" />
        <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
          <li>
            <button class="fr-btn" type="submit">
              Enregistrer le brouillon
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={EDIT_BASE}>
              Annuler
            </a>
          </li>
        </ul>
      </form>
    </Page>
  );
}

export type EditorVersion = {
  version: number;
  originalName: string;
  mediaType: string;
  sizeBytes: number;
  createdAt: Date;
  textStatus: string;
  textError: string | null;
};

const TEXT_STATUS: Record<string, string> = {
  pending: 'texte en cours d’extraction',
  done: 'texte extrait pour la recherche',
  failed: 'texte non extrait',
  none: 'pas de texte à extraire',
};

function Versions({ doc, versions }: { doc: DocumentCard; versions: EditorVersion[] }) {
  return (
    <ul>
      {versions.map((v, i) => (
        <li key={v.version} class="fr-mb-1w">
          <DownloadLink
            href={i === 0 ? fileHref(doc.id) : versionHref(doc.id, v.version)}
            label={`Version ${v.version} : ${v.originalName}`}
            mediaType={v.mediaType}
            sizeBytes={Number(v.sizeBytes)}
          />
          <span class="fr-text--sm">
            {` Déposée le ${formatDateTime(v.createdAt)} ; ${TEXT_STATUS[v.textStatus] ?? v.textStatus}`}
            {v.textError ? ` (${v.textError})` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

export type EditDocumentProps = {
  ctx: ViewContext;
  doc: DocumentCard;
  versions: EditorVersion[];
  form: FormState;
  versionForm: FormState;
  refs: Referentials;
  done?: string;
  maxFileBytes: number;
};

export function EditDocumentPage({ ctx, doc, versions, form, versionForm, refs, done, maxFileBytes }: EditDocumentProps) {
  const failed = Object.keys(form.errors).length > 0 || Object.keys(versionForm.errors).length > 0;
  return (
    <Page ctx={ctx} title={`${doc.title} – Rédaction`} failed={failed} breadcrumb={crumbs([{ label: doc.title }])}>
      <h1>{doc.title}</h1>
      {done && <Alert kind="success" title={done} />}
      <ErrorSummary form={form} labels={DOCUMENT_LABELS} />
      <ErrorSummary form={versionForm} labels={{ file: 'Nouvelle version du fichier' }} />
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-7">
          <h2>Informations</h2>
          <form method="post" action={`${EDIT_BASE}/${doc.id}`} novalidate>
            <Csrf token={ctx.csrfToken} />
            <DocumentFields form={form} refs={refs} />
            <button class="fr-btn fr-mt-2w" type="submit">
              Enregistrer
            </button>
          </form>
        </div>
        <div class="fr-col-12 fr-col-md-5">
          <h2>Publication</h2>
          <p>
            <StateBadge published={doc.published} />
            {doc.publishedAt && <span class="fr-text--sm"> Publié pour la première fois le {formatDate(doc.publishedAt)}</span>}
          </p>
          <form method="post" action={`${EDIT_BASE}/${doc.id}/publication`}>
            <Csrf token={ctx.csrfToken} />
            <input type="hidden" name="published" value={doc.published ? '0' : '1'} />
            <ul class="fr-btns-group fr-btns-group--inline">
              <li>
                <a class="fr-btn fr-btn--secondary" href={`${EDIT_BASE}/${doc.id}/apercu`}>
                  Aperçu
                </a>
              </li>
              <li>
                <button class={`fr-btn${doc.published ? ' fr-btn--tertiary' : ''}`} type="submit">
                  {doc.published ? 'Dépublier' : 'Publier'}
                </button>
              </li>
            </ul>
          </form>
          <h2>Fichier</h2>
          <Versions doc={doc} versions={versions} />
          <form method="post" action={`${EDIT_BASE}/${doc.id}/versions`} enctype="multipart/form-data" novalidate>
            <Csrf token={ctx.csrfToken} />
            <h3 class="fr-h6">Nouvelle version du fichier</h3>
            <p class="fr-text--sm">
              Les versions précédentes restent téléchargeables. Taille maximale : {formatBytes(maxFileBytes)}.
            </p>
            <FileInput form={versionForm} label="Nouveau fichier" />
            <button class="fr-btn fr-btn--secondary fr-mt-2w" type="submit">
              Déposer la nouvelle version
            </button>
          </form>
        </div>
      </div>
    </Page>
  );
}
