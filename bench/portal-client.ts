/** What the benchmark needs to know of the portal's pages: logging in, reading forms. */
import { DEFAULT_DEMO_PASSWORD } from '../src/config.js';

const cookiesOf = (response: Response) => response.headers.getSetCookie().map((c) => c.split(';')[0]);

/** Logs a demo account in; returns the cookie header of its session (CSRF secret included). */
export async function login(base: string, account: string): Promise<string> {
  const page = await fetch(`${base}/connexion`);
  const csrfCookie = cookiesOf(page).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await fetch(`${base}/connexion`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ _csrf: token, login: account, password: DEFAULT_DEMO_PASSWORD, next: '/' }),
  });
  const session = cookiesOf(response);
  if (response.status !== 303 || session.length === 0) {
    throw new Error(`connexion de « ${account} » refusée (HTTP ${response.status})`);
  }
  return [csrfCookie, ...session].join('; ');
}

export async function pageText(base: string, path: string, cookie: string): Promise<string> {
  const response = await fetch(`${base}${path}`, { headers: { cookie } });
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return response.text();
}

/** The CSRF token of the form posting to `action` (its first field). */
export function formCsrf(html: string, action: string): string | undefined {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) return undefined;
  return /name="_csrf" value="([^"]+)"/.exec(html.slice(start, html.indexOf('</form>', start)))?.[1];
}

/** The value of a hidden input, the first one with that name (or that value prefix). */
export function hiddenValue(html: string, name: string, suffix = ''): string | undefined {
  const pattern = new RegExp(`name="${name}" value="([^"]*${suffix})"`);
  return pattern.exec(html)?.[1];
}

/** The values of a `<select>`'s options, in page order, without the empty one. */
export function optionValues(html: string, selectName: string): string[] {
  const start = html.indexOf(`name="${selectName}"`);
  if (start < 0) return [];
  const end = html.indexOf('</select>', start);
  return [...html.slice(start, end).matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]!);
}

/** The request numbers linked from a page (`/demandes/123`), in page order, without repeats. */
export function requestNumbers(html: string): number[] {
  return [...new Set([...html.matchAll(/href="\/demandes\/(\d+)"/g)].map((m) => Number(m[1])))];
}

/** A multipart/form-data body of text fields, as a browser sends it. */
export function multipart(fields: Record<string, string>): { body: Buffer; contentType: string } {
  const boundary = `----guichetbench${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Fetches a form page, then posts the form with its tokens; returns the redirect's location. */
export async function submitForm(
  base: string,
  cookie: string,
  form: { page: string; action: string; tokenSuffix?: string; fields: Record<string, string> },
): Promise<string> {
  const html = await pageText(base, form.page, cookie);
  const csrf = formCsrf(html, form.action);
  const token = hiddenValue(html, 'token', form.tokenSuffix);
  if (!csrf || !token) throw new Error(`${form.page} : formulaire sans jeton`);
  const { body, contentType } = multipart({ _csrf: csrf, token, ...form.fields });
  const response = await fetch(`${base}${form.action}`, {
    method: 'POST',
    headers: { cookie, 'content-type': contentType },
    body: new Uint8Array(body),
    redirect: 'manual',
  });
  if (response.status !== 303) throw new Error(`POST ${form.action}: HTTP ${response.status}`);
  return response.headers.get('location') ?? '';
}
