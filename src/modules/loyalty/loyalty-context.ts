// What every loyalty use case is built on: the tenant's programme and settings (cached per tenant), the
// customer a request names, the keyed write (idempotent, one account locked) that every change to the
// ledger goes through, and the batches the API's plain earns and spends are written in.
import type pg from 'pg';
import type { ModuleContext } from '../../platform/context.js';
import { queryRow, queryRows, rowOf } from '../../platform/query-rows.js';
import { createTenantCache } from '../../platform/tenant-cache.js';
import { getTenantSettings } from '../../platform/tenancy.js';
import type { CustomersService } from '../customers/index.js';
import type { EventsService } from '../events/index.js';
import { AccountMissing, AccountMoved, hashRequest, runKeyedWrite } from './keyed-write.js';
import type { WriteOutcome } from './ledger.js';
import { DEFAULT_PROGRAM, Program } from './program.js';
import { loyaltySettingsOf, type LoyaltySettings } from './settings.js';
import { customerNotFound } from './errors.js';
import type { TierDeps } from './tiers.js';
import { loyaltyPrograms } from './schema.js';
import { createLedgerBatcher, type BatchedWrite } from './write-ledger-batches.js';

const PROGRAM_TTL_MS = 5_000;

export type LoyaltyModuleContext = ModuleContext & { customers: CustomersService; events: EventsService };
export interface TenantProgram {
  program: Program;
  isConfigured: boolean;
  settings: LoyaltySettings;
}

export function createLoyaltyContext(ctx: LoyaltyModuleContext) {
  const { db, bus, customers, events, clock } = ctx;
  const pool = db.pool;
  const tierDeps: TierDeps = { appendTimeline: (tx, tenantId, entries) => events.append(tx, tenantId, entries) };
  // Every ingested purchase asks for its tenant's programme and settings (currency rates): one shared
  // load per tenant (tenant-cache), so converting a purchase costs the ledger no query.
  const programs = createTenantCache<TenantProgram>({
    ttlMs: PROGRAM_TTL_MS,
    async load(tenantId) {
      const stored = await queryRow(pool, rowOf(loyaltyPrograms, ['rules']), 'SELECT rules FROM loyalty_programs WHERE tenant_id = $1', [tenantId]);
      const settings = loyaltySettingsOf((await getTenantSettings(pool, tenantId)).loyalty);
      return { program: stored ? Program.parse(stored.rules) : DEFAULT_PROGRAM, isConfigured: !!stored, settings };
    },
  });
  const programOf = (tenantId: string) => programs.get(tenantId);
  // The API's plain earns and spends, written together (write-ledger-batches.ts).
  const batcher = createLedgerBatcher({ pool, clock, log: ctx.log });

  /** The customer a request names: merged ids lead to the survivor; unknown, foreign and erased ids are 404. */
  async function resolveCustomer(tenantId: string, id: string, field = 'customer_id'): Promise<string> {
    const found = await customers.findCustomerId(tenantId, id);
    if (!found || found.status !== 'active') throw customerNotFound(undefined, [{ field, message: 'no such customer' }]);
    return found.id;
  }

  async function keyed<T>(tenantId: string, key: string, request: unknown, fn: (tx: pg.PoolClient, hash: string) => Promise<WriteOutcome<T>>) {
    return keyedByHash(tenantId, key, hashRequest(request), fn);
  }

  async function keyedByHash<T>(tenantId: string, key: string, hash: string, fn: (tx: pg.PoolClient, hash: string) => Promise<WriteOutcome<T>>) {
    const out = await runKeyedWrite(pool, tenantId, key, hash, (tx) => fn(tx, hash));
    bus.publish(out.publish);
    return { result: out.result, replayed: out.replayed };
  }

  /**
   * A keyed write for one customer's account. An existing account proves the customer, so the common
   * write makes no call to the customers module; a missing account is created once the customers module
   * confirms the customer (404 otherwise, as for another tenant's id), and a merged customer's write
   * goes to the survivor.
   */
  function keyedFor<T>(
    tenantId: string,
    customerId: string,
    key: string,
    request: unknown,
    fn: (tx: pg.PoolClient, hash: string, customerId: string) => Promise<WriteOutcome<T>>,
  ) {
    return keyedForHash(tenantId, customerId, key, hashRequest(request), fn);
  }

  async function keyedForHash<T>(
    tenantId: string,
    customerId: string,
    key: string,
    hash: string,
    fn: (tx: pg.PoolClient, hash: string, customerId: string) => Promise<WriteOutcome<T>>,
  ) {
    let id = customerId;
    for (let attempt = 0; ; attempt++) {
      try {
        return await keyedByHash(tenantId, key, hash, (tx) => fn(tx, hash, id));
      } catch (err) {
        if (attempt >= 3 || !(err instanceof AccountMissing || err instanceof AccountMoved)) throw err;
        if (err instanceof AccountMoved) {
          id = err.survivorId;
          continue;
        }
        id = await resolveCustomer(tenantId, id);
        await pool.query('INSERT INTO loyalty_accounts (tenant_id, customer_id) VALUES ($1, $2) ON CONFLICT (tenant_id, customer_id) DO NOTHING', [
          tenantId,
          id,
        ]);
      }
    }
  }

  /**
   * A plain write for one customer's account, in the tenant's next batch (write-ledger-batches.ts).
   * `write` builds what the request books, given its hash; undefined sends it straight to its own
   * keyed write, `alone`, which also takes whatever the batch does not write.
   */
  function batchedFor(
    tenantId: string,
    customerId: string,
    key: string,
    request: unknown,
    write: (hash: string) => BatchedWrite['write'] | undefined,
    alone: (tx: pg.PoolClient, hash: string, customerId: string) => Promise<WriteOutcome>,
  ) {
    const hash = hashRequest(request);
    const own = () => keyedForHash(tenantId, customerId, key, hash, alone);
    const booked = write(hash);
    return booked ? batcher.submit(tenantId, { customerId, key, write: booked, alone: own }) : own();
  }

  /** What the earning use cases need: the tenant's programme and settings, the timeline, and now. */
  const withProgram = async (tenantId: string) => {
    const { program, settings } = await programOf(tenantId);
    return { ...tierDeps, program, settings, now: clock.now() };
  };

  async function allTenants(): Promise<string[]> {
    const rows = await queryRows(pool, rowOf(loyaltyPrograms, ['tenant_id']), 'SELECT tenant_id FROM loyalty_programs');
    return rows.map((r) => r.tenant_id);
  }

  return { ...ctx, pool, tierDeps, programs, programOf, resolveCustomer, keyed, keyedFor, batchedFor, withProgram, allTenants };
}

export type LoyaltyContext = ReturnType<typeof createLoyaltyContext>;
