/**
 * Recomputes the figures of « Pilotage » from the requests' histories, for the requests filed in a
 * period (all without dates): after a change of the working calendar or of the service levels.
 *   npm run pilotage:rebuild -- --du 2026-01-01 --au 2026-12-31
 * Idempotent: running it twice gives the same figures; the portal may run meanwhile.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { periodOf } from '../src/domain/pilotage/filters.js';
import { rebuildFacts } from '../src/domain/pilotage/refresh.js';

const { values } = parseArgs({ options: { du: { type: 'string' }, au: { type: 'string' } } });
const day = /^\d{4}-\d{2}-\d{2}$/;
if ((values.du && !day.test(values.du)) || (values.au && !day.test(values.au))) {
  console.error('Indiquez les dates au format aaaa-mm-jj : --du 2026-01-01 --au 2026-12-31');
  process.exit(1);
}
const period = values.du || values.au ? periodOf(values.du ?? '1970-01-01', values.au ?? '2999-12-31') : undefined;
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrate(database);
  const started = Date.now();
  const count = await rebuildFacts(database.db, period ? { from: period.from, to: period.to } : {}, 2000);
  console.log(`Chiffres recalculés pour ${count} demandes en ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} finally {
  await database.close();
}
