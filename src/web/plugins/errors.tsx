import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../../domain/errors.js';
import { DEFAULT_SETTINGS } from '../../domain/settings/settings.js';
import { Page } from '../layout/page.js';
import { sendPage } from '../shared/render.js';
import type { ViewContext } from '../shared/view-context.js';
import { viewContext } from './actor-gate.js';
import { loggedUrl } from './log.js';

const UNEXPECTED = {
  title: 'Erreur inattendue',
  lead: 'Désolé, le service rencontre un problème, nous travaillons pour le résoudre le plus rapidement possible.',
  text: 'Essayez de rafraîchir la page ou bien réessayez plus tard.',
};

const PAGES: Record<number, { title: string; lead: string; text: string }> = {
  403: {
    title: 'Accès refusé',
    lead: 'Vous n’avez pas les droits nécessaires pour accéder à cette page.',
    text: 'Si vous pensez qu’il s’agit d’une erreur, contactez l’assistance.',
  },
  404: {
    title: 'Page non trouvée',
    lead: 'La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.',
    text: 'Si vous avez tapé l’adresse web dans le navigateur, vérifiez qu’elle est correcte. La page n’est peut-être plus disponible, ou vous n’y avez pas accès.',
  },
  400: {
    title: 'Demande incorrecte',
    lead: 'Ce qui a été envoyé ne correspond à aucun formulaire de ce site.',
    text: '',
  },
  409: {
    title: 'Action impossible',
    lead: 'Cette action n’a pas pu être effectuée.',
    text: '',
  },
  429: {
    title: 'Trop de tentatives',
    lead: 'Vous avez envoyé trop de demandes en peu de temps. Patientez une minute avant de réessayer.',
    text: '',
  },
  500: UNEXPECTED,
  503: {
    title: 'Service indisponible',
    lead: 'Le service est momentanément indisponible. Les informations que vous avez saisies n’ont pas été perdues : revenez en arrière et renvoyez le formulaire dans quelques instants.',
    text: 'Si le problème persiste, contactez l’assistance par téléphone.',
  },
};

export function ErrorPage({ ctx, status, message }: { ctx: ViewContext; status: number; message?: string }) {
  const page = PAGES[status] ?? UNEXPECTED;
  return (
    <Page ctx={ctx} title={page.title}>
      <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--middle fr-my-7w">
        <div class="fr-col-12 fr-col-md-8">
          <h1>{page.title}</h1>
          <p class="fr-text--sm fr-mb-3w">{`Erreur ${status}`}</p>
          <p class="fr-text--lead fr-mb-3w">{message ?? page.lead}</p>
          {page.text && <p class="fr-text--sm fr-mb-5w">{page.text}</p>}
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <a class="fr-btn" href="/">
                Page d’accueil
              </a>
            </li>
          </ul>
        </div>
      </div>
    </Page>
  );
}

const DATABASE_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', '57P01', '57P02', '57P03', '08006', '08001', '08003']);

/** The error and its causes: Drizzle wraps the driver's error (DrizzleQueryError), whose code is on `cause`. */
function chainOf(error: unknown): { code?: unknown; message?: unknown }[] {
  const chain: { code?: unknown; message?: unknown; cause?: unknown }[] = [];
  for (
    let e = error as (typeof chain)[number] | undefined;
    e && typeof e === 'object' && chain.length < 5;
    e = e.cause as never
  ) {
    chain.push(e);
  }
  return chain;
}

function statusOf(error: FastifyError & { code?: string }): number {
  if (error instanceof DomainError) return error.status;
  // An address whose number or id is not one (« /demandes/1.5 ») names nothing.
  if (error.validation) return error.validationContext === 'params' ? 404 : 400;
  if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') return 403;
  const chain = chainOf(error);
  if (chain.some((e) => typeof e.code === 'string' && DATABASE_DOWN.has(e.code))) return 503;
  const downMessage = /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable/;
  if (chain.some((e) => typeof e.message === 'string' && downMessage.test(e.message))) return 503;
  if (chain.some((e) => e.code === 'ENOSPC')) return 507;
  return error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
}

function messageOf(error: FastifyError & { code?: string }, status: number): string | undefined {
  if (error instanceof DomainError) return error.message;
  if (status === 403 && error.code?.startsWith('FST_CSRF')) {
    return 'Votre formulaire a expiré ou ne provient pas de ce site. Revenez à la page précédente, rechargez-la et renvoyez-le.';
  }
  if (status === 507)
    return 'L’espace de stockage du service est plein : votre envoi n’a pas été enregistré. Réessayez plus tard.';
  if (status === 413) return 'Le contenu envoyé est trop volumineux.';
  if (status === 400)
    return 'Ce qui a été envoyé ne correspond à aucun formulaire de ce site. Revenez à la page précédente et réessayez.';
  return undefined;
}

async function respond(request: FastifyRequest, reply: FastifyReply, status: number, message?: string) {
  if (request.headers.accept?.includes('application/json') && !request.headers.accept.includes('text/html')) {
    return reply.code(status).send({ error: message ?? PAGES[status]?.title ?? 'Erreur', status });
  }
  let ctx: ViewContext;
  try {
    ctx = await viewContext(request, reply);
  } catch {
    // The database is down: draw the page with the default settings.
    ctx = { actor: null, settings: DEFAULT_SETTINGS, csrfToken: '', path: request.url };
  }
  return sendPage(reply, <ErrorPage ctx={ctx} status={status === 507 ? 503 : status} message={message} />, status);
}

/**
 * A header Node refuses to write throws while the answer is written, after every handler: from
 * a hook that completes in a promise (the session's save) nothing would catch it and the process
 * would stop. Checked here, last before writing, it becomes an ordinary error answered with a 500.
 */
async function checkHeaders(_request: FastifyRequest, reply: FastifyReply) {
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    try {
      validateHeaderName(name);
      if (value !== undefined) validateHeaderValue(name, String(value));
    } catch (error) {
      reply.removeHeader(name);
      throw error;
    }
  }
}

/** One error handler: HTML or JSON by Accept; 5xx details stay in the logs. */
export const errorHandling = fp(async (app: FastifyInstance) => {
  app.addHook('onSend', checkHeaders);
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const status = statusOf(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else if (status === 403)
      request.log.warn({ url: loggedUrl(request.url), actor: request.actor?.id, code: error.code }, 'access refused');
    return respond(request, reply, status, messageOf(error, status));
  });
  app.setNotFoundHandler(async (request, reply) => respond(request, reply, 404));
});
