/**
 * Portals run as their own processes (`node --import tsx src/server.ts`), and a person's browser
 * talking to them over HTTP: for the tests where the process itself is under test (several
 * processes, crashes, database restarts).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { PASSWORD } from './portal.js';
import { freePort } from './private-postgres.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** A portal process, started with `node --import tsx src/server.ts`. */
export class PortalProcess {
  private port = 0;
  private child: ChildProcess | null = null;
  private output = '';
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(readonly name: string) {}

  /** The portal's address, once started. */
  get base() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the process on a free port (so that test runs side by side never meet). */
  async start(env: Record<string, string>) {
    this.port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.child = child;
  }

  /** Waits until /readyz answers 200; fails with the process's output if it stops first. */
  async ready(timeoutMs = 120_000) {
    const deadline = Date.now() + timeoutMs;
    let stopped = false;
    void this.exited.then(() => {
      stopped = true;
    });
    while (Date.now() < deadline) {
      if (stopped) throw new Error(`${this.name} stopped while starting:\n${this.output}`);
      const ok = await fetch(`${this.base}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return;
      await sleep(200);
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.output}`);
  }

  /** SIGTERM, then SIGKILL if it has not stopped within 10 s. */
  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** True while the process has not exited. */
  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The end of what the process printed (for failure messages). */
  get log(): string {
    return this.output;
  }

  killNow() {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** A person's browser: one cookie jar, whichever process answers (they share one address in production). */
export class Browser {
  private readonly cookies = new Map<string, string>();

  private keep(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async request(url: string, init: RequestInit = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers = { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) };
    return this.keep(await fetch(url, { ...init, headers, redirect: 'manual' }));
  }

  async page(url: string) {
    const response = await this.request(url);
    return { status: response.status, location: response.headers.get('location'), body: await response.text() };
  }

  post(url: string, form: Record<string, string>) {
    return this.request(url, { method: 'POST', body: new URLSearchParams(form) });
  }

  async login(base: string, login: string) {
    const token = csrfOf((await this.page(`${base}/connexion`)).body);
    const response = await this.post(`${base}/connexion`, { _csrf: token, login, password: PASSWORD, next: '/' });
    assert.equal(response.status, 303, `login ${login} through ${base}`);
    return this;
  }

  /** Files a request through the portal's form: the answer's status, and the request's number when filed. */
  async tryFile(base: string, subject: string, file?: { name: string; bytes: Buffer }) {
    const page = await this.page(`${base}/demandes/nouvelle`);
    if (page.status !== 200) return { status: page.status, number: null, body: page.body };
    const form = page.body;
    const body = new FormData();
    const fields: Record<string, string> = {
      _csrf: csrfOf(form),
      token: /name="token" value="([^"]+)"/.exec(form)?.[1] ?? '',
      subject,
      blocking: 'non',
      applicationId: /<option value="(\d+)"[^>]*>CERES<\/option>/.exec(form)?.[1] ?? '',
      themeId: '',
      problemTypeId: '',
      businessReference: '',
      description: `${subject} : le bouton « Enregistrer » ne répond pas.`,
      suggestionsShown: '1',
    };
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    if (file) body.append('files', new Blob([new Uint8Array(file.bytes)]), file.name);
    const response = await this.request(`${base}/demandes/nouvelle`, {
      method: 'POST',
      body,
    });
    const location = response.headers.get('location') ?? '';
    const number = response.status === 303 ? Number(/\/demandes\/(\d+)/.exec(location)?.[1]) : null;
    return { status: response.status, number, body: await response.text() };
  }

  /** Files a request through the portal's form; returns its number. */
  async file(base: string, subject: string, file?: { name: string; bytes: Buffer }): Promise<number> {
    const { status, number, body } = await this.tryFile(base, subject, file);
    assert.equal(status, 303, `${subject}: ${status} ${body.slice(0, 300)}`);
    return number!;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"|_csrf=([^"&]+)/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return decodeURIComponent(match[1] ?? match[2] ?? '');
}

/** Polls `check` until it returns true. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(250);
  }
  assert.fail(`timed out waiting for: ${what}`);
}
