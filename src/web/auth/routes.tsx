import type { FastifyInstance } from 'fastify';
import { login } from '../../domain/accounts/login.js';
import { audit } from '../../domain/audit/audit.js';
import { emptyForm } from '../components/form.js';
import { Page } from '../layout/page.js';
import { sendPage } from '../render.js';
import { safeNext, viewContext } from './gate.js';
import { LoginPage } from './login-page.js';
import { startSession } from './session.js';

type LoginBody = { login?: string; password?: string; remember?: string; next?: string };

export async function authRoutes(app: FastifyInstance) {
  app.get<{ Querystring: { next?: string } }>('/connexion', async (request, reply) => {
    if (request.actor) return reply.redirect(safeNext(request.query.next), 303);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, <LoginPage ctx={ctx} form={emptyForm()} next={safeNext(request.query.next)} />);
  });

  app.post<{ Body: LoginBody }>(
    '/connexion',
    { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const { login: identifier = '', password = '', remember, next } = request.body ?? {};
      const result = await login(app.deps.db, String(identifier).slice(0, 200), String(password), request.ip);
      if (!result.ok) {
        const ctx = await viewContext(request, reply);
        const error =
          result.reason === 'throttled'
            ? `Trop de tentatives de connexion. Réessayez dans ${formatWait(result.retryAfterS)}.`
            : 'Identifiant ou mot de passe incorrect.';
        const form = emptyForm({ login: String(identifier), remember: remember ? '1' : '' });
        return sendPage(
          reply,
          <LoginPage ctx={ctx} form={form} next={safeNext(next)} error={error} />,
          result.reason === 'throttled' ? 429 : 401,
        );
      }
      await startSession(request, result.userId, remember === '1');
      return reply.redirect(safeNext(next), 303);
    },
  );

  app.post('/deconnexion', async (request, reply) => {
    if (request.actor) await audit(app.deps.db, { action: 'logout', actorId: request.actor.id, ip: request.ip });
    await request.session.destroy();
    return reply.redirect('/connexion', 303);
  });

  app.get('/mot-de-passe-oublie', async (request, reply) => {
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
      <InfoPage
        ctx={ctx}
        title="Mot de passe oublié"
        text={`Pour retrouver l’accès à votre compte, appelez l’assistance au ${ctx.settings.supportPhone} (${ctx.settings.supportHours}) : après vérification de votre identité, elle vous enverra un nouveau lien de connexion.`}
      />,
    );
  });

  app.get('/demande-de-compte', async (request, reply) => {
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
      <InfoPage
        ctx={ctx}
        title="Demande de compte"
        text={`Les comptes sont créés par l’assistance. Appelez le ${ctx.settings.supportPhone} (${ctx.settings.supportHours}) en indiquant votre structure, votre région et les applications que vous utilisez : vous recevrez un courriel d’activation.`}
      />,
    );
  });
}

function formatWait(seconds: number): string {
  return seconds < 60
    ? `${seconds} seconde${seconds > 1 ? 's' : ''}`
    : `${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}`;
}

function InfoPage({ ctx, title, text }: { ctx: Parameters<typeof Page>[0]['ctx']; title: string; text: string }) {
  return (
    <Page ctx={ctx} title={title} breadcrumb={[{ label: 'Accueil', href: '/' }, { label: title }]}>
      <h1>{title}</h1>
      <p class="fr-text--lead">{text}</p>
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={ctx.actor ? '/' : '/connexion'}>
          {ctx.actor ? 'Retour à l’accueil' : 'Retour à la connexion'}
        </a>
      </p>
    </Page>
  );
}
