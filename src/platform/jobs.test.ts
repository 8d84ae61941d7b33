import { describe, expect, it } from 'vitest';
import pino from 'pino';
import pg from 'pg';
import { databases } from '../../test/helpers.js';
import { newId } from './ids.js';
import { startJobs } from './jobs.js';

const log = pino({ level: 'silent' });

describe.each(databases)('jobs on $name', ({ url }) => {
  it('with work off, defines cost nothing and the first send makes its queue and stores the job', async () => {
    const jobs = await startJobs(url, log, { work: false });
    const names = [newId('q'), newId('q'), newId('q')].map((n) => n.replace('_', '-'));
    try {
      for (const n of names) await jobs.define(n, async () => undefined, { cron: '* * * * *' });
      expect(jobs.isStarted).toBe(false);
      const id = await jobs.send(names[1], { hello: 'world' });
      expect(id).toBeTruthy();
      expect(jobs.isStarted).toBe(true);
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        const { rows: queues } = await pool.query('SELECT name FROM pgboss.queue WHERE name = ANY($1::text[])', [names]);
        expect(queues.map((q) => q.name)).toEqual([names[1]]);
        const { rows: stored } = await pool.query('SELECT data FROM pgboss.job WHERE name = $1 AND id = $2', [names[1], id]);
        expect(stored.map((j) => j.data)).toEqual([{ hello: 'world' }]);
        const { rows: schedules } = await pool.query('SELECT name FROM pgboss.schedule WHERE name = ANY($1::text[])', [names]);
        expect(schedules).toEqual([]);
      } finally {
        await pool.end();
      }
    } finally {
      await jobs.stop();
    }
  });

  it('sends many jobs of a queue at once, each with its data, start time and singleton key', async () => {
    const jobs = await startJobs(url, log, { work: false });
    const name = newId('q').replace('_', '-');
    const later = new Date(Date.now() + 3600_000);
    try {
      await jobs.sendMany(name, [{ data: { n: 1 }, startAfter: later, singletonKey: 'k1' }, { data: { n: 2 } }]);
      await jobs.sendMany(name, []);
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        const { rows } = await pool.query(`SELECT data, start_after, singleton_key FROM pgboss.job WHERE name = $1 ORDER BY data->>'n'`, [name]);
        expect(rows.map((r) => r.data)).toEqual([{ n: 1 }, { n: 2 }]);
        expect(new Date(rows[0].start_after).getTime()).toBe(later.getTime());
        expect(new Date(rows[1].start_after).getTime()).toBeLessThan(later.getTime());
        expect(rows.map((r) => r.singleton_key)).toEqual(['k1', null]);
      } finally {
        await pool.end();
      }
    } finally {
      await jobs.stop();
    }
  });

  it('with work on, a defined handler gets what was sent', async () => {
    const jobs = await startJobs(url, log, { work: true });
    const name = newId('q').replace('_', '-');
    try {
      const got = new Promise((resolve) => {
        void jobs.define<{ n: number }>(name, async (data) => resolve(data));
      });
      await new Promise((r) => setTimeout(r, 100));
      await jobs.send(name, { n: 7 });
      expect(await got).toEqual({ n: 7 });
    } finally {
      await jobs.stop();
    }
  });

  it('sendMany stores every job of a batch with its start time in one call', async () => {
    const jobs = await startJobs(url, log, { work: false });
    const name = newId('q').replace('_', '-');
    const later = new Date(Date.now() + 3600_000);
    try {
      await jobs.sendMany(name, [{ data: { n: 1 } }, { data: { n: 2 }, startAfter: later }]);
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        const { rows } = await pool.query(`SELECT data, start_after FROM pgboss.job WHERE name = $1 ORDER BY data->>'n'`, [name]);
        expect(rows.map((r) => r.data)).toEqual([{ n: 1 }, { n: 2 }]);
        expect(new Date(rows[1].start_after).getTime()).toBe(later.getTime());
      } finally {
        await pool.end();
      }
    } finally {
      await jobs.stop();
    }
  });

  it('with scheduling off, workers run what is sent but no cron is registered or fired; with it on the cron is stored', async () => {
    const off = await startJobs(url, log, { work: true, schedule: false });
    const name = newId('q').replace('_', '-');
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      expect(off.isScheduling).toBe(false);
      const got = new Promise((resolve) => {
        void off.define<{ n: number }>(name, async (data) => resolve(data), { cron: '* * * * *' });
      });
      await new Promise((r) => setTimeout(r, 100));
      const { rows: none } = await pool.query('SELECT name FROM pgboss.schedule WHERE name = $1', [name]);
      expect(none).toEqual([]);
      await off.send(name, { n: 3 });
      expect(await got).toEqual({ n: 3 });
    } finally {
      await off.stop();
    }
    const on = await startJobs(url, log, { work: true });
    try {
      expect(on.isScheduling).toBe(true);
      await on.define(name, async () => undefined, { cron: '17 * * * *' });
      const { rows } = await pool.query('SELECT name, cron FROM pgboss.schedule WHERE name = $1', [name]);
      expect(rows).toEqual([{ name, cron: '17 * * * *' }]);
    } finally {
      await on.stop();
      await pool.query('DELETE FROM pgboss.schedule WHERE name = $1', [name]);
      await pool.end();
    }
  });
});
