// The loyalty API as a tenant's admin calls it, shared by the loyalty module's integration tests. The
// app and tenant are read when a call is made: the tests start them in beforeAll.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';

export function loyaltyApi(app: () => { r: Rapport; t: TestTenant }) {
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, payload?: unknown) => {
    const { r, t } = app();
    return r.app.inject({ method, url: path, headers: t.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  };
  /** A fresh idempotency key. */
  const key = () => `k-${randomBytes(6).toString('hex')}`;
  async function newCustomer(email = `${randomBytes(6).toString('hex')}@example.com`): Promise<string> {
    const res = await call('POST', '/v1/customers', { identities: { email } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }
  const earn = (customer_id: string, points: number, extra: Record<string, unknown> = {}) =>
    call('POST', '/v1/loyalty/earn', { customer_id, points, idempotency_key: key(), ...extra });
  const spend = (customer_id: string, points: number, k = key()) => call('POST', '/v1/loyalty/spend', { customer_id, points, idempotency_key: k });
  const balance = async (id: string) => (await call('GET', `/v1/loyalty/customers/${id}/balance`)).json();
  return { call, key, newCustomer, earn, spend, balance };
}
