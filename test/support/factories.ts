/**
 * Test data through the domain commands (the same ones the pages call), and raw reads to
 * compare the database before and after a refused action.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Db, transaction } from '../../src/db/client.js';
import { applications, themes, userApplications, users } from '../../src/db/schema.js';
import { loadActor } from '../../src/domain/accounts/actors.js';
import { hashPassword } from '../../src/domain/accounts/passwords.js';
import type { Actor } from '../../src/domain/actor.js';
import { type ActionInput, applyAction } from '../../src/domain/requests/commands/apply-action.js';
import { fileRequest } from '../../src/domain/requests/commands/file-request.js';
import type { NewRequestInput } from '../../src/domain/requests/input.js';
import type { Action, Role } from '../../src/domain/vocabulary.js';
import { newFormToken } from '../../src/web/shared/form-token.js';
import { PASSWORD, type TestPortal } from './portal.js';

const PUBLIC_URL = 'http://localhost:3000';

/** Rows of a raw query (both drivers expose `.rows`). */
export async function rows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  return (await db.execute(query)).rows as T[];
}

export async function count(db: Db, query: SQL): Promise<number> {
  const [row] = await rows<{ n: number | string }>(db, query);
  return Number(row?.n ?? 0);
}

export async function actorOf(db: Db, login: string): Promise<Actor> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.login, login));
  if (!user) throw new Error(`no user ${login}`);
  const actor = await loadActor(db, user.id);
  if (!actor) throw new Error(`user ${login} is not active`);
  return actor;
}

export async function applicationId(db: Db, code: string): Promise<number> {
  const [app] = await db.select({ id: applications.id }).from(applications).where(eq(applications.code, code));
  if (!app) throw new Error(`no application ${code}`);
  return app.id;
}

export async function themeId(db: Db, name: string): Promise<number> {
  const [theme] = await db.select({ id: themes.id }).from(themes).where(eq(themes.name, name));
  if (!theme) throw new Error(`no theme ${name}`);
  return theme.id;
}

/** A new user who can log in with the demo password; `apps` are application codes. */
export async function createUser(db: Db, login: string, role: Role, apps: string[] = []): Promise<Actor> {
  // The demo accounts' hash of the same password: no need to pay for hashing again.
  const [demo] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.login, 'demandeur'));
  const passwordHash = demo?.hash ?? (await hashPassword(PASSWORD));
  const [user] = await db
    .insert(users)
    .values({ login, email: `${login}@test.localhost`, firstName: 'Test', lastName: login, role, passwordHash })
    .returning({ id: users.id });
  if (!user) throw new Error('insert returned nothing');
  if (apps.length) {
    const ids = await db.select({ id: applications.id }).from(applications).where(inArray(applications.code, apps));
    await db.insert(userApplications).values(ids.map((a) => ({ userId: user.id, applicationId: a.id })));
  }
  return (await loadActor(db, user.id))!;
}

/** Files a request as `login` (a requester), through the domain command. */
export async function fileAs(
  portal: TestPortal,
  login: string,
  fields: Partial<NewRequestInput> & { app?: string } = {},
): Promise<number> {
  const db = portal.database.db;
  const actor = await actorOf(db, login);
  const { app = 'CERES', ...rest } = fields;
  const input: NewRequestInput = {
    subject: 'Connexion impossible',
    blocking: false,
    applicationId: await applicationId(db, app),
    themeId: null,
    problemTypeId: null,
    businessReference: null,
    description: 'Le bouton « Se connecter » ne répond pas.',
    ...rest,
  };
  const created = await transaction(db, (tx) =>
    fileRequest(tx, actor, input, { publicUrl: PUBLIC_URL, submissionToken: newFormToken() }),
  );
  return created.number;
}

/** Applies an action as `login`, through the domain command. */
export async function actAs(portal: TestPortal, login: string, number: number, action: Action, input: ActionInput = {}) {
  const db = portal.database.db;
  const actor = await actorOf(db, login);
  return transaction(db, (tx) => applyAction(tx, actor, number, action, input, { publicUrl: PUBLIC_URL }));
}

/** Everything a refused action must leave untouched. */
export async function footprint(db: Db, number: number) {
  const [request] = await rows(db, sql`select * from requests where number = ${number}`);
  return {
    request,
    events: await count(db, sql`select count(*) as n from request_events`),
    outbox: await count(db, sql`select count(*) as n from outbox`),
    attachments: await count(db, sql`select count(*) as n from attachments`),
  };
}

/** The values of a page's new-request form: CSRF, form token and option ids by label. */
export function readForm(html: string) {
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const token = /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const option = (label: string) => new RegExp(`<option value="(\\d+)"[^>]*>${label}</option>`).exec(html)?.[1] ?? '';
  return { csrf, token, option };
}

/** Fields for an action form of the request page (the `_csrf` and `version` of the page). */
export function actionFields(html: string, action: Action) {
  const form = new RegExp(`<form[^>]*id="form-${action}"[\\s\\S]*?</form>`).exec(html)?.[0];
  if (!form) throw new Error(`no form for ${action}`);
  const value = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form)?.[1] ?? '';
  return { csrf: value('_csrf'), version: value('version'), token: value('token') };
}

/** Files in the portal's attachment store (a refused upload or action leaves none behind). */
export function storedFiles(portal: TestPortal): string[] {
  try {
    return readdirSync(join(portal.config.dataDir, 'files'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** A page without what legitimately differs between two answers: CSRF tokens and the given values. */
export function normalize(html: string, ...values: (string | number)[]): string {
  let out = html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
  for (const v of values) out = out.split(String(v)).join('{…}');
  return out;
}

/**
 * The error shown next to a form field: the text of the element its control names in
 * aria-describedby (how assistive technologies find it too).
 */
export function fieldError(html: string, name: string, form?: string): string {
  const scope = form ? (new RegExp(`<form[^>]*id="${form}"[\\s\\S]*?</form>`).exec(html)?.[0] ?? '') : html;
  const control = new RegExp(`<(?:input|textarea|select)\\b[^>]*\\bname="${name}"[^>]*>`).exec(scope)?.[0] ?? '';
  const ids = /aria-describedby="([^"]+)"/.exec(control)?.[1]?.split(/\s+/) ?? [];
  return ids
    .map((id) => new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</div>`).exec(scope)?.[1] ?? '')
    .join(' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

/** The text of the error summary at the top of a refused form. */
export function errorSummary(html: string): string {
  const summary = /id="error-summary"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
  return summary
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/&amp;/g, '&')
    .trim();
}
