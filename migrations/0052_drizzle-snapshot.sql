-- Changes nothing in the database. Migrations 0028 to 0051 were written by hand, so drizzle-kit's last
-- snapshot (0027) no longer described the schema: `npm run db:generate` wrote a migration creating
-- tables that already exist. This migration carries a snapshot of every module's schema.ts as it is now
-- (meta/0052_snapshot.json), so the next `db:generate` writes only what changed after it;
-- test/drizzle-snapshot.test.ts keeps it so.
SELECT 1;
