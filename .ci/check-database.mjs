// Fails loudly when DATABASE_URL does not answer: CI must never skip the database tests.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../packages/api/package.json', import.meta.url));
const pg = require('pg');
const url = process.env.DATABASE_URL;
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
try {
  await client.connect();
  const { rows } = await client.query('select version()');
  console.log(`database: ${rows[0].version.split(',')[0]}`);
} catch (error) {
  console.error(`DATABASE_URL (${url.replace(/:[^:@/]*@/, ':***@')}) is unreachable: ${error.message}`);
  process.exit(1);
} finally {
  await client.end().catch(() => {});
}
