// Cases a person or another module reports as complaints: one opened by hand (a complaint taken on the
// phone), or one per conversation the inbox (or any module) reports.
import { newId } from '../../platform/ids.js';
import type { LoopDeps } from './loop-deps.js';
import type { Priority } from './case-rules.js';
import { openFromSignal } from './open-signal-cases.js';
import { caseCustomerNotFound } from './errors.js';

export async function createCase(
  deps: LoopDeps,
  tenantId: string,
  input: { summary: string; customerId?: string; type: string; touchpoint?: string; topics?: string[]; team?: string; priority?: Priority },
) {
  const sourceId = newId('man');
  if (input.customerId) {
    const found = await deps.customers.findCustomerId(tenantId, input.customerId);
    if (!found || found.status !== 'active') throw caseCustomerNotFound('No such customer', [{ field: 'customer_id', message: 'names no customer' }]);
  }
  return (await openFromSignal(
    deps,
    tenantId,
    'complaint',
    {},
    {
      type: input.type,
      sourceType: 'manual',
      sourceId,
      customerId: input.customerId,
      summary: input.summary,
      text: input.summary,
      touchpoint: input.touchpoint,
      topics: input.topics,
      teamId: input.team,
      priority: input.priority,
    },
  ))!;
}

export function reportComplaint(
  deps: LoopDeps,
  tenantId: string,
  c: { conversationId: string; customerId?: string; text?: string; channel?: string; teamId?: string },
) {
  return openFromSignal(
    deps,
    tenantId,
    'complaint',
    {},
    {
      sourceType: 'conversation',
      sourceId: c.conversationId,
      customerId: c.customerId,
      text: c.text,
      summary: c.text?.slice(0, 200),
      teamId: c.teamId,
      touchpoint: c.channel,
    },
  );
}
