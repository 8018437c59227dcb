// The PostgreSQL leg: runs when SSO_HARNESS_TEST_PG_URL names a server (.ci/run starts a
// throwaway one), and says so visibly when it is skipped.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_URL = process.env.SSO_HARNESS_TEST_PG_URL;

let told = false;
/** Call in a `before` hook: skips the suite with a visible line when no server is configured. */
export function requirePostgres(ctx: Mocha.Context): void {
  if (PG_URL) return;
  if (!told) {
    process.stdout.write('    (PostgreSQL leg skipped: set SSO_HARNESS_TEST_PG_URL, e.g. from scripts/pg-cluster.sh, to run it)\n');
    told = true;
  }
  ctx.skip();
}

/** A new, empty database on the test server; returns its URL and a function that drops it. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!PG_URL) throw new Error('SSO_HARNESS_TEST_PG_URL is not set');
  const name = `harness_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
