/**
 * Static files: the DSFR's and our own, under addresses that change with their content, so that
 * browsers keep them a year without asking again. `npm run build` stores brotli and gzip copies
 * of the text files next to the compiled code; they are sent to browsers that accept them, with
 * no compression work per request.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { projectDir } from '../../paths.js';

const require = createRequire(join(projectDir, 'package.json'));
export const publicDir = join(projectDir, 'public');
export const dsfrDist = join(dirname(require.resolve('@gouvfr/dsfr/package.json')), 'dist');
const dsfrVersion: string = require('@gouvfr/dsfr/package.json').version;

function publicDigest(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(publicDir).sort()) hash.update(name).update(readFileSync(join(publicDir, name)));
  return hash.digest('hex').slice(0, 12);
}

export const assetVersions = { dsfr: dsfrVersion, public: publicDigest() };
/** Where the DSFR's files are served. */
export const ASSETS = `/dsfr/${assetVersions.dsfr}`;
/** Where our own style sheets and script are served. */
export const STATIC = `/static/${assetVersions.public}`;

/** A static file's address: no session to read, no line in the request log. */
export const isAssetUrl = (url: string) => url.startsWith('/dsfr/') || url.startsWith('/static/');

/** The DSFR files pages load: those worth compressing ahead of time (fonts and images are already compressed). */
export const precompressedDsfrFiles = ['dsfr.min.css', 'utility/utility.min.css', 'dsfr.module.min.js', 'dsfr.nomodule.min.js'];
/** Where `npm run build` writes the compressed copies, one folder per content version. */
export const precompressedDir = (kind: 'dsfr' | 'public') => join(projectDir, 'dist', 'assets', kind, assetVersions[kind]);

export async function registerAssets(app: FastifyInstance) {
  const cache = { maxAge: '365d', immutable: true, preCompressed: true } as const;
  const roots = (kind: 'dsfr' | 'public', source: string) =>
    existsSync(precompressedDir(kind)) ? [precompressedDir(kind), source] : source;
  await app.register(fastifyStatic, { root: roots('dsfr', dsfrDist), prefix: `${ASSETS}/`, ...cache });
  await app.register(fastifyStatic, { root: roots('public', publicDir), prefix: `${STATIC}/`, decorateReply: false, ...cache });
}
