/**
 * Browser tests: one portal per test file (embedded PGlite in a fresh data folder), one Chromium,
 * and one browser context per person, driven by labels and roles as a person would.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { DEFAULT_DEMO_PASSWORD, loadConfig } from '../../src/config.js';
import { type Portal, startPortal } from '../../src/server.js';

export const PASSWORD = DEFAULT_DEMO_PASSWORD;

/** The system's Chromium; CHROMIUM_PATH points elsewhere when it is installed in another place. */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export type PersonOptions = {
  javaScript?: boolean;
  viewport?: { width: number; height: number };
};

export type Harness = {
  url: string;
  portal: Portal;
  browser: Browser;
  /** A folder for the files people upload. */
  filesDir: string;
  /** A new person: own cookies, one page. Logged in when `login` is given. */
  person(login?: string, options?: PersonOptions): Promise<Page>;
  stop(): Promise<void>;
};

/** Contexts whose pages run without JavaScript (axe then runs on a copy of their HTML). */
const withoutJavaScript = new WeakSet<BrowserContext>();
/** Script errors and CSP refusals seen in each page. */
const consoleErrors = new WeakMap<Page, string[]>();

export type HarnessOptions = {
  /** More settings for the portal, e.g. SMTP_URL, PORT and PUBLIC_URL, PROCONNECT_…. */
  env?: Record<string, string>;
};

/** Starts a portal on a fresh data folder and a browser; `stop()` closes both and removes the folder. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-e2e-'));
  const filesDir = mkdtempSync(join(tmpdir(), 'guichet-e2e-files-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    ...options.env,
  });
  // Both start together; when one fails the other is stopped, or the browser would keep the test process alive.
  const [started, launched] = await Promise.allSettled([
    startPortal(config),
    chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
  ]);
  if (started.status === 'rejected' || launched.status === 'rejected') {
    if (started.status === 'fulfilled') await started.value.stop();
    if (launched.status === 'fulfilled') await launched.value.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(filesDir, { recursive: true, force: true });
    throw started.status === 'rejected' ? started.reason : (launched as PromiseRejectedResult).reason;
  }
  const portal = started.value;
  const browser = launched.value;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];
  return {
    url: portal.url,
    portal,
    browser,
    filesDir,
    async person(login, options = {}) {
      const javaScript = options.javaScript ?? true;
      const context = await browser.newContext({
        baseURL: portal.url,
        javaScriptEnabled: javaScript,
        viewport: options.viewport ?? { width: 1280, height: 900 },
        locale: 'fr-FR',
        timezoneId: 'Europe/Paris',
        // DSFR then skips its transitions: no waiting for collapses to finish moving.
        reducedMotion: 'reduce',
        colorScheme: 'light',
      });
      context.setDefaultTimeout(10_000);
      if (!javaScript) withoutJavaScript.add(context);
      contexts.push(context);
      const page = await context.newPage();
      pages.push(page);
      watchConsole(page);
      if (login) await logIn(page, login);
      return page;
    },
    async stop() {
      const errors = pages.flatMap((p) => consoleErrors.get(p) ?? []);
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await portal.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(filesDir, { recursive: true, force: true });
      assert.deepEqual(errors, [], 'script errors or refused resources in the pages');
    },
  };
}

/**
 * A port free at the time of asking: a portal started on it knows its public address beforehand
 * (the links of its e-mails, ProConnect's return address).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function watchConsole(page: Page) {
  const errors: string[] = [];
  consoleErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    // Error pages (403, 404, 422) are reported by Chromium as failed loads: expected, not a script error.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(`${page.url()}: ${message.text()}`);
    }
  });
}

/** The steps of one story: after a failed step, the next ones are skipped rather than failing in cascade. */
export function storySteps() {
  let failed: string | null = null;
  return (name: string, fn: () => Promise<void>) =>
    test(name, async (t) => {
      if (failed) return t.skip(`after the failure of « ${failed} »`);
      try {
        await fn();
      } catch (error) {
        failed = name;
        throw error;
      }
    });
}

/** Logs in through the login page, by its labels. */
export async function logIn(page: Page, login: string, password = PASSWORD) {
  await page.goto('/connexion');
  await page.getByLabel('Identifiant', { exact: true }).fill(login);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Connexion', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/connexion');
}

export async function logOut(page: Page) {
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.waitForURL((url) => url.pathname === '/connexion');
}

type Violation = { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] };

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA) on the page as it is now and fails with a readable list.
 * The portal's CSP (script-src 'self') refuses an injected <script> tag, so axe's source is evaluated
 * through the browser's debugging protocol instead. Pages without JavaScript cannot run axe at all:
 * their HTML is checked in a scripted copy whose own scripts are blocked, so the DOM stays the no-JS one.
 */
export async function expectNoAxeViolations(page: Page, label?: string) {
  const name = label ?? new URL(page.url()).pathname + new URL(page.url()).search;
  const target = withoutJavaScript.has(page.context()) ? await scriptedCopy(page) : page;
  if (target === page) await page.waitForFunction(() => document.documentElement.dataset.frJs === 'true');
  // DSFR finishes setting components up in the next frames.
  await target.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const violations = await runAxe(target);
  assert.equal(violations.length, 0, `axe: ${violations.length} violation(s) on ${name}:\n${formatViolations(violations)}`);
}

async function runAxe(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected at run time
    const axe = (window as any).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations as Violation[];
  }, AXE_TAGS);
}

/** Per browser: the page where no-JavaScript pages are copied for axe, and what it serves. */
const copies = new WeakMap<Browser, { page: Page; url: string; html: string }>();

/**
 * The page's current HTML, served at its own address in a JavaScript-enabled page whose scripts are blocked
 * (one such page per browser, reused). What <noscript> holds applies in the original: it is unwrapped in the copy.
 */
async function scriptedCopy(page: Page): Promise<Page> {
  const browser = page.context().browser()!;
  let copy = copies.get(browser);
  if (!copy) {
    const context = await browser.newContext({ locale: 'fr-FR', reducedMotion: 'reduce', colorScheme: 'light' });
    const state = { page: await context.newPage(), url: '', html: '' };
    await state.page.route('**/*', (route) => {
      const request = route.request();
      if (request.resourceType() === 'document' && request.url() === state.url) {
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: state.html });
      }
      return request.resourceType() === 'script' ? route.abort() : route.continue();
    });
    copies.set(browser, state);
    copy = state;
  }
  copy.url = page.url();
  copy.html = (await page.content()).replace(/<\/?noscript>/g, '');
  await copy.page.setViewportSize(page.viewportSize() ?? { width: 1280, height: 900 });
  await copy.page.goto(copy.url);
  return copy.page;
}

function formatViolations(violations: Violation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map(
        (n) => `    - ${n.target.join(' ')}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`,
      );
      return `  [${v.impact ?? '?'}] ${v.id}: ${v.help}\n${nodes.join('\n')}`;
    })
    .join('\n');
}

/** Writes a small real PNG (a grey window with a blue title bar) and returns its path. */
export function writePng(dir: string, name = 'capture-ecran.png'): string {
  const width = 48;
  const height = 32;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set(y < 6 ? [0, 0, 145] : [238, 238, 238], 1 + x * 3);
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, truecolour
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  const path = join(dir, name);
  writeFileSync(path, png);
  return path;
}

export type NewRequest = {
  subject: string;
  application: string;
  blocking: boolean;
  theme?: string;
  description: string;
  files?: string[];
};

/** From any page of a requester: « Déposer une nouvelle demande », fill in, « Enregistrer »; returns the number. */
export async function fileRequest(page: Page, request: NewRequest, options: { checkA11y?: boolean } = {}): Promise<number> {
  await page.goto('/');
  await page.getByRole('link', { name: 'Déposer une nouvelle demande' }).click();
  await page.waitForURL('**/demandes/nouvelle');
  if (options.checkA11y) await expectNoAxeViolations(page);
  // Field names carry « * » and a hint after the label: matched from their start.
  await page.getByRole('textbox', { name: /^Sujet\b/ }).fill(request.subject);
  // DSFR draws the radio on its label, over the transparent input: a person clicks the label.
  const blocking = page.getByRole('group', { name: /Bloquant \/ Non bloquant/ });
  await blocking.getByText(request.blocking ? 'Bloquant' : 'Non bloquant', { exact: true }).click();
  assert.ok(await page.getByLabel(request.blocking ? 'Bloquant' : 'Non bloquant', { exact: true }).isChecked());
  await page.getByRole('combobox', { name: /^Application\b/ }).selectOption({ label: request.application });
  if (request.theme) await page.getByRole('combobox', { name: /^Thème\b/ }).selectOption({ label: request.theme });
  await page.getByRole('textbox', { name: /^Description\b/ }).fill(request.description);
  if (request.files?.length) await page.getByLabel('Ajouter un fichier').setInputFiles(request.files);
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  // The knowledge base may first suggest answers (« Avant d’enregistrer… »): the person files all the same.
  const filed = page.waitForURL(/\/demandes\/\d+\?cree=1$/).then(() => true);
  const suggested = page
    .locator('#suggestions-notice')
    .waitFor()
    .then(() => false);
  for (const outcome of [filed, suggested]) outcome.catch(() => {});
  if (!(await Promise.race([filed, suggested]))) {
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.waitForURL(/\/demandes\/\d+\?cree=1$/);
  }
  return Number(/\/demandes\/(\d+)/.exec(page.url())![1]);
}

/** An entry of the main menu. */
export const menuLink = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name, exact: true });

/** The form of a request-page action (each form is named after its action). */
export const actionForm = (page: Page, name: string) => page.getByRole('form', { name, exact: true });

/**
 * Opens an action of the desk (a DSFR accordion with JavaScript; always open without it),
 * fills its message and submits it.
 */
export async function act(page: Page, action: string, message?: string, files?: string[]) {
  const toggle = page.getByRole('button', { name: action, exact: true, expanded: false });
  if (await toggle.isVisible()) await toggle.click();
  const form = actionForm(page, action);
  if (message !== undefined) await form.getByRole('textbox').fill(message);
  if (files?.length) await form.getByLabel('Ajouter un fichier').setInputFiles(files);
  await submit(page, form.getByRole('button', { name: action, exact: true }));
}

/**
 * Clicks a button that sends a request-page form and waits for the page it leads to: the address
 * alone cannot tell, as it already ends with « ?fait=1 » after a first action. Fails with the page's
 * alerts when the action was refused.
 */
export async function submit(page: Page, button: Locator) {
  const loaded = page.waitForEvent('load');
  await button.click();
  await loaded;
  if (!/\?fait=1$/.test(page.url())) {
    const alerts = await page.locator('[role=alert], .fr-message--error').allTextContents();
    assert.fail(`the action was refused (${page.url()}): ${alerts.join(' / ')}`);
  }
}

/** The status shown in the request's summary table (its text, not its upper-cased look). */
export async function statusOf(page: Page): Promise<string> {
  const cell = page.getByRole('row', { name: /^Statut/ }).getByRole('cell');
  return ((await cell.textContent()) ?? '').trim();
}
