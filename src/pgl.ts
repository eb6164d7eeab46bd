import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

let t = Date.now();
const a = await PGlite.create({ extensions: { unaccent, pg_trgm } });
console.log('create', Date.now() - t);
t = Date.now();
await a.exec('create extension unaccent; create table x(a int); insert into x values (1)');
const blob = await a.dumpDataDir('none');
console.log('dump', Date.now() - t, blob.size);
t = Date.now();
const b = await PGlite.create({ extensions: { unaccent, pg_trgm }, loadDataDir: blob });
console.log('load', Date.now() - t, (await b.query('select * from x')).rows);
