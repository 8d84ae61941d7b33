// One message to one customer through a template: planned now (channel, language, contact window, caps,
// suppression) and stored queued, or refused with its reason; a message due now asks a worker to
// dispatch it at once.
import { createHash } from 'node:crypto';
import { withTransaction } from '../../platform/db.js';
import { getTemplate } from './manage-templates.js';
import { planMessage, type SendRequest, type PlannedMessage } from './plan-message.js';
import { templateNotFound } from './errors.js';
import type { OutreachContext } from './outreach-context.js';

/** A message id that is the same for the same seed: a retried run finds the message it planned. */
export const derivedMessageId = (seed: string) =>
  `msg_${BigInt(`0x${createHash('sha256').update(seed).digest('hex').slice(0, 32)}`)
    .toString(36)
    .padStart(25, '0')}`;

export async function sendMessage(oc: OutreachContext, tenantId: string, req: SendRequest, at: Date = oc.now()): Promise<PlannedMessage> {
  const { pool, customers, jobs, log } = oc;
  const s = await oc.settings(tenantId);
  if (!(await getTemplate(pool, tenantId, req.templateId))) throw templateNotFound();
  const customerId = await oc.resolveCustomer(tenantId, req.customerId);
  const planned = await withTransaction(pool, (tx) => planMessage(tx, { customers, settings: s, now: at }, tenantId, { ...req, customerId }));
  // Due now (urgent, or inside the window): ask a worker to dispatch without waiting for the minute tick.
  if (planned.status === 'queued' && new Date(planned.scheduledAt).getTime() <= at.getTime()) {
    await jobs.send('outreach-dispatch', { tenantId }).catch((err) => log.warn({ err: (err as Error).message }, 'could not queue dispatch'));
  }
  return planned;
}
