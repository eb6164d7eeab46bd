/**
 * Demonstration documents (outside production): CERES's themes and two other applications, every
 * audience, one document with two versions.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Audience } from '../../domain/vocabulary.js';
import { type Db, transaction } from '../client.js';
import { applications, documents, documentVersions, themes } from '../schema.js';
import { DEMO_FILES, type DemoFile, demoFileBytes } from './documents-files.js';

type DemoDocument = {
  title: string;
  summary: string;
  application: string;
  theme?: string;
  audience: Audience;
  publishedAt: string;
  files: DemoFile[];
};

/** The first demonstration document: when it is there, they all are. */
const GUIDE_TITLE = 'Guide utilisateur CERES – Agréments';

const DEMO_DOCUMENTS: DemoDocument[] = [
  {
    title: GUIDE_TITLE,
    summary: 'Saisir, modifier et renouveler un agrément ; les agréments bloquants et leur récépissé.',
    application: 'CERES',
    theme: 'base des agréments',
    audience: 'public',
    publishedAt: '2025-01-20T09:00:00Z',
    files: [DEMO_FILES.guideV1, DEMO_FILES.guide],
  },
  {
    title: 'Procédure interne de traitement des agréments',
    summary: 'Comment l’assistance qualifie et transmet les demandes portant sur un agrément.',
    application: 'CERES',
    theme: 'base des agréments',
    audience: 'agents',
    publishedAt: '2025-02-03T09:00:00Z',
    files: [DEMO_FILES.internal],
  },
  {
    title: 'Calendrier des sessions d’examen 2026',
    summary: 'Les sessions programmées par titre et par région.',
    application: 'CERES',
    theme: 'base des sessions',
    audience: 'users',
    publishedAt: '2026-01-05T09:00:00Z',
    files: [DEMO_FILES.sessions],
  },
  {
    title: 'Saisie des candidats',
    summary: 'Créer la fiche d’un candidat et l’inscrire à une session.',
    application: 'CERES',
    theme: 'base des candidats',
    audience: 'users',
    publishedAt: '2025-06-16T09:00:00Z',
    files: [DEMO_FILES.candidates],
  },
  {
    title: 'Guide de démarrage du Portail de l’Alternance',
    summary: 'Créer son compte et déposer un premier contrat d’apprentissage.',
    application: 'PORTAIL_ALTERNANCE',
    audience: 'public',
    publishedAt: '2025-09-01T09:00:00Z',
    files: [DEMO_FILES.alternance],
  },
];

/** Adds the demonstration documents once (nothing if their guide is already there). */
export async function seedDemoDocuments(db: Db): Promise<boolean> {
  const [existing] = await db.select({ id: documents.id }).from(documents).where(eq(documents.title, GUIDE_TITLE));
  if (existing) return false;
  // Files are built before the transaction, which then only writes.
  const bytes = new Map<string, Uint8Array>();
  for (const file of Object.values(DEMO_FILES)) bytes.set(file.key, await demoFileBytes(file));
  await transaction(db, async (tx) => {
    for (const demo of DEMO_DOCUMENTS) {
      const [app] = await tx.select({ id: applications.id }).from(applications).where(eq(applications.code, demo.application));
      if (!app) continue;
      const [theme] = demo.theme
        ? await tx
            .select({ id: themes.id })
            .from(themes)
            .where(and(eq(themes.applicationId, app.id), eq(themes.name, demo.theme)))
        : [];
      const current = demo.files.at(-1);
      if (!current) continue;
      const [doc] = await tx
        .insert(documents)
        .values({
          title: demo.title,
          summary: demo.summary,
          applicationId: app.id,
          themeId: theme?.id ?? null,
          audience: demo.audience,
          published: true,
          publishedAt: new Date(demo.publishedAt),
          updatedAt: new Date(demo.publishedAt),
          // What the worker extracts from the current file, so the search finds it before the worker's first run.
          fileText: current.mediaType === 'application/pdf' ? current.lines.join('\n') : '',
        })
        .returning({ id: documents.id });
      if (!doc) throw new Error('insert returned nothing');
      await tx.insert(documentVersions).values(
        demo.files.map((file, i) => {
          const content = bytes.get(file.key) ?? new Uint8Array();
          return {
            documentId: doc.id,
            version: i + 1,
            storageKey: file.key,
            originalName: file.name,
            mediaType: file.mediaType,
            sizeBytes: content.length,
            sha256: createHash('sha256').update(content).digest('hex'),
            textStatus: file.mediaType === 'application/pdf' ? ('pending' as const) : ('none' as const),
            createdAt: new Date(new Date(demo.publishedAt).getTime() + i * 200 * 86_400_000),
          };
        }),
      );
    }
  });
  return true;
}
