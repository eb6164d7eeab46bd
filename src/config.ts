import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';

// Validation messages in French, for every schema of the portal.
z.config(z.locales.fr());

const PORT_MESSAGE = 'doit être un numéro de port, entre 0 et 65535';

/** The default demo password, used when DEMO_PASSWORD is unset outside production. */
export const DEFAULT_DEMO_PASSWORD = 'guichet-demo-2026';

/** A yes/no setting: true, 1, false or 0; unset, its default. */
const flag = (byDefault: boolean) =>
  z
    .enum(['true', 'false', '1', '0', ''], { error: 'doit valoir true ou false' })
    .optional()
    .transform((v) => (v === undefined || v === '' ? byDefault : v === 'true' || v === '1'));

/** Names proxy-addr understands besides addresses and ranges. */
const PROXY_KEYWORDS = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyEntry(entry: string): boolean {
  if (PROXY_KEYWORDS.includes(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

const proxyList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean),
  )
  .refine((list) => list.every(isProxyEntry), {
    error: 'doit être une liste d’adresses IP ou de plages séparées par des virgules, ex. 10.0.0.5,10.1.0.0/16 (ou loopback)',
  });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number({ error: PORT_MESSAGE }).int(PORT_MESSAGE).min(0, PORT_MESSAGE).max(65535, PORT_MESSAGE).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'doit commencer par postgres:// ou postgresql://')
    .optional(),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'doit être une adresse http(s) complète, ex. https://assistance.exemple.gouv.fr' })
    .optional(),
  SESSION_SECRET: z.string().min(32, 'doit compter au moins 32 caractères').optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'doit commencer par smtp:// ou smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Assistance des Ministères sociaux <ne-pas-repondre@assistance.localhost>'),
  MAIL_REPLY_TO: z.email({ error: 'doit être une adresse électronique, ex. reponse@assistance.exemple.gouv.fr' }).optional(),
  INBOUND_SMTP_PORT: z.coerce
    .number({ error: PORT_MESSAGE })
    .int(PORT_MESSAGE)
    .min(0, PORT_MESSAGE)
    .max(65535, PORT_MESSAGE)
    .optional(),
  INBOUND_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  INBOUND_IMAP_URL: z
    .string()
    .regex(/^imaps?:\/\//, 'doit commencer par imap:// ou imaps://')
    .optional(),
  DEMO_PASSWORD: z.string().min(12, 'doit compter au moins 12 caractères').optional(),
  UPLOAD_MAX_FILE_MB: z.coerce.number().positive().max(200).default(10),
  UPLOAD_MAX_FILES: z.coerce.number().int().positive().max(50).default(5),
  TRUSTED_PROXIES: proxyList.optional(),
  METRICS_TOKEN: z.string().min(32, 'doit compter au moins 32 caractères').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  COMPRESS_PAGES: flag(true),
  DISABLE_WORKER: flag(false),
  JOBS_MAX_INTERVAL_S: z.coerce.number().positive().optional(),
  PROCONNECT_ISSUER: z
    .url({ protocol: /^https?$/, error: 'doit être une adresse http(s) complète, ex. https://auth.agentconnect.gouv.fr/api/v2' })
    .optional(),
  PROCONNECT_CLIENT_ID: z.string().min(1).optional(),
  PROCONNECT_CLIENT_SECRET: z.string().min(1).optional(),
});

/** ProConnect is enabled only when all three are set. */
const PROCONNECT_KEYS = ['PROCONNECT_ISSUER', 'PROCONNECT_CLIENT_ID', 'PROCONNECT_CLIENT_SECRET'] as const;

/** Values production cannot do without; checked even when other values are wrong, so all are listed at once. */
const REQUIRED_IN_PRODUCTION = ['SESSION_SECRET', 'PUBLIC_URL'] as const;

export type Config = {
  env: 'development' | 'production' | 'test';
  production: boolean;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  publicUrl: string;
  sessionSecret: string;
  smtpUrl?: string;
  mailFrom: string;
  /** Base address of replies by e-mail (plus-addressed per request and recipient); unset: no replies by e-mail. */
  mailReplyTo?: string;
  /** Inbound e-mail: an SMTP listener (development, tests) and/or an IMAP mailbox (production). */
  inbound: { smtp?: { host: string; port: number }; imapUrl?: string };
  demoPassword?: string;
  demoPasswordIsDefault: boolean;
  upload: { maxFileBytes: number; maxFiles: number };
  /** Peers whose X-Forwarded-* headers are believed (the load balancers); none by default. */
  trustedProxies: string[];
  /** The bearer token Prometheus sends to read /metrics; unset, /metrics answers nobody. */
  metricsToken?: string;
  logLevel: string;
  /** pretty: one readable line per event (development's default); json: one JSON object per line. */
  logFormat: 'json' | 'pretty';
  /** Pages, CSV and JSON compressed by the portal (brotli or gzip); off behind a proxy that compresses. */
  compressPages: boolean;
  runWorker: boolean;
  /** JOBS_MAX_INTERVAL_S: no background job waits longer than this between runs (tests, demonstrations). */
  jobsMaxIntervalMs?: number;
  /** ProConnect login (OpenID Connect), when configured. */
  proconnect?: { issuer: string; clientId: string; clientSecret: string };
};

export class ConfigError extends Error {}

/** Reads and validates the environment; throws a ConfigError listing every wrong value. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(raw);
  const lines = parsed.success ? [] : parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
  if (raw.NODE_ENV === 'production') {
    for (const key of REQUIRED_IN_PRODUCTION) if (!raw[key]) lines.push(`  - ${key}: obligatoire en production`);
    if (raw.PROCONNECT_ISSUER?.startsWith('http://'))
      lines.push('  - PROCONNECT_ISSUER: doit commencer par https:// en production');
  }
  const proconnectSet = PROCONNECT_KEYS.filter((key) => raw[key]);
  if (proconnectSet.length > 0 && proconnectSet.length < PROCONNECT_KEYS.length) {
    const missing = PROCONNECT_KEYS.filter((key) => !raw[key]);
    for (const key of missing) {
      lines.push(
        `  - ${key}: obligatoire pour la connexion ProConnect (PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID et PROCONNECT_CLIENT_SECRET vont ensemble ; ne renseignez aucune des trois pour la désactiver)`,
      );
    }
  }
  if (!parsed.success || lines.length > 0) throw new ConfigError(`Configuration invalide :\n${lines.join('\n')}`);
  const env = parsed.data;
  const dataDir = resolve(env.DATA_DIR);
  const production = env.NODE_ENV === 'production';
  return {
    env: env.NODE_ENV,
    production,
    port: env.PORT,
    host: env.HOST,
    dataDir,
    databaseUrl: env.DATABASE_URL,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    sessionSecret: env.SESSION_SECRET ?? developmentSecret(dataDir),
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    mailReplyTo: env.MAIL_REPLY_TO,
    inbound: {
      smtp: env.INBOUND_SMTP_PORT === undefined ? undefined : { host: env.INBOUND_SMTP_HOST, port: env.INBOUND_SMTP_PORT },
      imapUrl: env.INBOUND_IMAP_URL,
    },
    demoPassword: production ? undefined : (env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD),
    demoPasswordIsDefault: !production && !env.DEMO_PASSWORD,
    upload: { maxFileBytes: Math.round(env.UPLOAD_MAX_FILE_MB * 1024 * 1024), maxFiles: env.UPLOAD_MAX_FILES },
    trustedProxies: env.TRUSTED_PROXIES ?? [],
    metricsToken: env.METRICS_TOKEN,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json'),
    compressPages: env.COMPRESS_PAGES,
    runWorker: !env.DISABLE_WORKER,
    jobsMaxIntervalMs: env.JOBS_MAX_INTERVAL_S === undefined ? undefined : Math.round(env.JOBS_MAX_INTERVAL_S * 1000),
    proconnect:
      env.PROCONNECT_ISSUER && env.PROCONNECT_CLIENT_ID && env.PROCONNECT_CLIENT_SECRET
        ? { issuer: env.PROCONNECT_ISSUER, clientId: env.PROCONNECT_CLIENT_ID, clientSecret: env.PROCONNECT_CLIENT_SECRET }
        : undefined,
  };
}

/** Outside production, a random secret is generated once and kept in the data folder. */
function developmentSecret(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
