// Test apps own their time and their jobs: two apps on one database, each with its own clock, each
// running its own job workers. One app's timer acts only on its own tenant's rows, and with its own
// clock, never the other app's nor the wall clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../src/platform/clock.js';
import { databases, startTestApp, createTestTenant, type TestApp, type TestTenant } from './helpers.js';

describe.each(databases)('two test apps on $name', ({ url }) => {
  let early: TestApp;
  let late: TestApp;
  let e: TestTenant;
  let l: TestTenant;
  beforeAll(async () => {
    // Both instants are before the wall clock of any run, so every SLA timer below is due at once for
    // the job queue; whether a case is overdue is then for each app's own clock to say.
    early = await startTestApp(url, { clock: createTestClock('2020-01-01T00:00:00Z') });
    late = await startTestApp(url, { clock: createTestClock('2025-06-01T10:00:00Z') });
    e = await createTestTenant(early);
    l = await createTestTenant(late);
  });
  afterAll(async () => {
    await early?.close();
    await late?.close();
  });

  const caseOf = async (r: TestApp, t: TestTenant, id: string) => (await r.app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: t.headers })).json();
  const slaJobs = async (r: TestApp) =>
    (await r.db.pool.query(`SELECT data->>'tenantId' AS tenant, state FROM ${r.jobs.schema}.job WHERE name = 'loop-sla'`)).rows as {
      tenant: string;
      state: string;
    }[];

  it("runs each app's SLA timer on its own tenant's cases, by its own clock", async () => {
    // The early app's case: due a day after 2020-01-01, overdue by the late app's clock and by the wall clock.
    const earlyCase = (await early.loop.openFromSignal(e.tenantId, 'complaint', {}, { sourceType: 'conversation', sourceId: 'cnv_early', summary: 'early' }))!;
    // The late app's case: opened 25 hours before its clock, so its first contact was due an hour ago.
    const lateCase = (await late.loop.openFromSignal(
      l.tenantId,
      'complaint',
      {},
      { sourceType: 'conversation', sourceId: 'cnv_late', summary: 'late', at: new Date('2025-05-31T09:00:00Z') },
    ))!;
    expect(await caseOf(early, e, earlyCase)).toMatchObject({ first_contact_due_at: expect.stringMatching(/^2020-01-02T00:00/), escalation_level: 0 });
    // Its timer is due at once, so the late app's worker may already have escalated it: only the due time is fixed here.
    expect(await caseOf(late, l, lateCase)).toMatchObject({ first_contact_due_at: '2025-06-01T09:00:00.000Z' });

    // Each app's queue holds only the timer of its own tenant, and each app's worker runs it.
    await expect
      .poll(async () => (await slaJobs(late)).map((j) => `${j.tenant}:${j.state}`), { timeout: 30_000, interval: 250 })
      .toEqual([`${l.tenantId}:completed`]);
    await expect
      .poll(async () => (await slaJobs(early)).map((j) => `${j.tenant}:${j.state}`), { timeout: 30_000, interval: 250 })
      .toEqual([`${e.tenantId}:completed`]);

    // The late app escalated its own case at its own instant...
    const lateNow = await caseOf(late, l, lateCase);
    expect(lateNow.escalation_level).toBe(1);
    expect(
      lateNow.activities.filter((a: { kind: string }) => a.kind === 'escalation').map((a: { body: string; at: string }) => `${a.body}@${a.at.slice(0, 15)}`),
    ).toEqual(['first contact overdue@2025-06-01T10:0']);
    // ...and left the early app's case alone, which the early app's timer, by its clock, found not yet due.
    expect((await caseOf(early, e, earlyCase)).escalation_level).toBe(0);
    const { rows } = await early.db.pool.query('SELECT escalation_level FROM cases WHERE tenant_id = $1 AND id = $2', [e.tenantId, earlyCase]);
    expect(rows).toEqual([{ escalation_level: 0 }]);
  });
});
