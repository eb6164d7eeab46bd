/**
 * A person using the portal through HTTP (app.inject): keeps cookies, reads CSRF tokens from pages.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { PASSWORD } from './portal.js';

export class Visitor {
  private cookies = new Map<string, string>();

  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(response: LightMyRequestResponse) {
    for (const c of response.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return response;
  }

  /** A cookie's current value (session fixation and logout tests). */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string) {
    this.cookies.set(name, value);
    return this;
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } }));
  }

  /** The CSRF token of a page's first form. */
  async token(url: string): Promise<string> {
    const page = await this.get(url);
    const match = /name="_csrf" value="([^"]+)"|_csrf=([^"&]+)/.exec(page.body);
    if (!match) throw new Error(`no CSRF token on ${url} (status ${page.statusCode})`);
    return decodeURIComponent(match[1] ?? match[2] ?? '');
  }

  async post(url: string, form: Record<string, string> | URLSearchParams, headers: Record<string, string> = {}) {
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: new URLSearchParams(form).toString(),
      }),
    );
  }

  /** A multipart form; files as [field, name, content]. */
  async postMultipart(url: string, fields: Record<string, string>, files: [string, string, Buffer][] = []) {
    const boundary = `----guichet${Date.now()}`;
    const parts: Buffer[] = [];
    for (const [name, value] of Object.entries(fields)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    }
    for (const [field, filename, content] of files) {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        content,
        Buffer.from('\r\n'),
      );
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.concat(parts),
      }),
    );
  }

  async login(login: string, password = PASSWORD) {
    const token = await this.token('/connexion');
    const response = await this.post('/connexion', { _csrf: token, login, password, next: '/' });
    if (response.statusCode !== 303) throw new Error(`login ${login} failed: ${response.statusCode}`);
    return this;
  }
}

/** A 1×1 PNG image. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
