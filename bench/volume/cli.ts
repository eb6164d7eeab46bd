/**
 * `npm run seed:volume -- --requests 1000000`: migrates and seeds the database of the environment
 * (DATABASE_URL, or the embedded one in DATA_DIR) as the portal does at start, then adds the volume.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { seed } from '../../src/db/seed/seed.js';
import { generateVolume } from './generate.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '100000' } } });
const requests = Number(values.requests);
if (!Number.isSafeInteger(requests) || requests < 1) {
  console.error('--requests doit être un nombre entier positif.');
  process.exit(2);
}
const config = loadConfig(process.env);
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 3 });
try {
  await migrate(database);
  await seed(database.db, { demoPassword: config.demoPassword });
  const where = config.databaseUrl ? 'PostgreSQL' : `PGlite (${config.dataDir})`;
  console.log(`Génération de ${requests} demandes dans ${where}`);
  const summary = await generateVolume(database, { requests, dataDir: config.dataDir, log: (line) => console.log(line) });
  console.log(JSON.stringify(summary));
} finally {
  await database.close();
}
