/**
 * Creates an administrator account (the first one, in production):
 *   npm run admin:create -- --login jdupont --email j.dupont@example.gouv.fr --first-name Jeanne --last-name Dupont
 * The password is read from ADMIN_PASSWORD, or asked on the terminal.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { users } from '../src/db/schema.js';
import { seed } from '../src/db/seed/seed.js';
import { hashPassword, MAX_PASSWORD_LENGTH } from '../src/domain/accounts/passwords.js';
import { audit } from '../src/domain/audit/audit.js';

const { values } = parseArgs({
  options: {
    login: { type: 'string' },
    email: { type: 'string' },
    'first-name': { type: 'string' },
    'last-name': { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const login = values.login?.trim() ?? fail('Indiquez --login.');
if (!/^[a-z0-9._-]{3,40}$/i.test(login)) fail('L’identifiant compte de 3 à 40 lettres, chiffres, points, tirets.');
const email = values.email?.trim() ?? fail('Indiquez --email.');
if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail('Adresse électronique invalide.');
const firstName = values['first-name']?.trim() ?? fail('Indiquez --first-name.');
const lastName = values['last-name']?.trim() ?? fail('Indiquez --last-name.');

let password = process.env.ADMIN_PASSWORD ?? '';
if (!password) {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  password = await rl.question('Mot de passe (12 à 128 caractères) : ');
  rl.close();
}
if (password.length < 12 || password.length > MAX_PASSWORD_LENGTH) fail('Le mot de passe doit compter de 12 à 128 caractères.');

const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrate(database);
  await seed(database.db, { demoPassword: config.demoPassword });
  const [existing] = await database.db.select({ id: users.id }).from(users).where(eq(users.login, login));
  if (existing) fail(`L’identifiant « ${login} » existe déjà.`);
  const passwordHash = await hashPassword(password);
  await database.db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ login, email, firstName, lastName, role: 'admin', passwordHash })
      .returning({ id: users.id });
    await audit(tx, {
      action: 'account.create',
      actorId: null,
      target: `user:${user?.id}`,
      details: { role: 'admin', via: 'cli' },
    });
  });
  console.log(`Administrateur « ${login} » créé.`);
} finally {
  await database.close();
}
