/**
 * Files of the demonstration documents, built from text (a small PDF user guide among them).
 * Built the same byte for byte each time, so a data folder copied without its files gets them back.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inArray } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { documentVersions } from '../schema.js';

export type DemoFile = { key: string; name: string; mediaType: string; lines: string[] };

const key = (n: number) => `d0c5eed${String(n).padStart(2, '0')}`.padEnd(32, '0');

export const GUIDE_LINES_V1 = [
  'Guide utilisateur CERES – Agréments',
  'Version 1 – janvier 2025',
  'Ce guide décrit la saisie d’une demande d’agrément dans CERES.',
  'Chaque agrément est rattaché à un organisme certificateur.',
];

export const GUIDE_LINES = [
  'Guide utilisateur CERES – Agréments',
  'Version 2 – septembre 2026',
  'Ce guide décrit la saisie, la modification et le renouvellement des agréments dans CERES.',
  'Un agrément bloquant empêche l’ouverture d’une session : vérifiez le récépissé quadriennal',
  'délivré par la DREETS avant de programmer les épreuves.',
  'Le tableau de bord des agréments signale les habilitations arrivant à échéance.',
];

export const DEMO_FILES = {
  guideV1: { key: key(1), name: 'guide-ceres-agrements-v1.pdf', mediaType: 'application/pdf', lines: GUIDE_LINES_V1 },
  guide: { key: key(2), name: 'guide-ceres-agrements.pdf', mediaType: 'application/pdf', lines: GUIDE_LINES },
  internal: {
    key: key(3),
    name: 'procedure-interne-agrements.pdf',
    mediaType: 'application/pdf',
    lines: [
      'Procédure interne de traitement des agréments',
      'Document réservé aux agents de l’assistance.',
      'Un agrément refusé par le pôle régional est requalifié en niveau 2 avec la mention « contentieux ».',
    ],
  },
  sessions: {
    key: key(4),
    name: 'calendrier-sessions-2026.csv',
    mediaType: 'text/csv',
    lines: ['titre;date;region', 'Assistant de vie aux familles;2026-03-12;Bretagne', 'Agent de propreté;2026-04-02;Occitanie'],
  },
  candidates: {
    key: key(5),
    name: 'saisie-candidats.txt',
    mediaType: 'text/plain',
    lines: [
      'Saisie des candidats dans CERES',
      'Un candidat se crée une seule fois ; ses inscriptions aux sessions se rattachent à sa fiche.',
    ],
  },
  alternance: {
    key: key(6),
    name: 'demarrage-portail-alternance.pdf',
    mediaType: 'application/pdf',
    lines: ['Guide de démarrage du Portail de l’Alternance', 'Créer son compte, déposer un contrat d’apprentissage.'],
  },
} satisfies Record<string, DemoFile>;

/** The file's bytes: a one-page PDF of the lines, or the lines as UTF-8 text. */
export async function demoFileBytes(file: DemoFile): Promise<Uint8Array> {
  if (file.mediaType !== 'application/pdf') return new TextEncoder().encode(`${file.lines.join('\n')}\n`);
  // Only a first start writes the demo files: pdf-lib is loaded then, not at every start.
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(file.lines[0] ?? '');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage();
  file.lines.forEach((line, i) => {
    page.drawText(line, { x: 50, y: 780 - i * 22, size: i === 0 ? 16 : 10, font });
  });
  return doc.save({ useObjectStreams: false });
}

/**
 * Writes the files of the demonstration documents that the store lacks (a database copied from a
 * template, a data folder restored without them). Only files a version names are written.
 */
export async function installDemoFiles(db: Executor, storeRoot: string): Promise<void> {
  const files = Object.values(DEMO_FILES);
  const rows = await db
    .select({ key: documentVersions.storageKey })
    .from(documentVersions)
    .where(
      inArray(
        documentVersions.storageKey,
        files.map((f) => f.key),
      ),
    );
  for (const { key: storageKey } of rows) {
    const file = files.find((f) => f.key === storageKey);
    // The store's layout: a folder named after the key's first two characters.
    const path = join(storeRoot, storageKey.slice(0, 2), storageKey);
    if (!file || existsSync(path)) continue;
    await mkdir(join(storeRoot, storageKey.slice(0, 2)), { recursive: true });
    await writeFile(path, await demoFileBytes(file));
  }
}
