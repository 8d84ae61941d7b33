// A web chat visitor becomes a known customer when the site vouches for an identity (the hash was
// checked by the caller): the anonymous profile and the identity's profile are resolved together,
// merging them if both exist.
import { withTransaction } from '../../platform/db.js';
import type { InboxDeps } from './effects.js';
import type { Channel } from './manage-channels.js';

export type VisitorIdentityKind = 'email' | 'phone' | 'external_id';

/** Undefined when the visitor is identified; otherwise why the identity was refused. */
export async function identifyVisitor(
  deps: Pick<InboxDeps, 'pool' | 'customers'>,
  channel: Channel,
  anonymousId: string,
  kind: VisitorIdentityKind,
  value: string,
): Promise<string | undefined> {
  const { identities, problems } = deps.customers.normalizeIdentities({ anonymous_id: anonymousId, [kind]: value });
  if (problems.length) return `${kind} ${problems[0].message}`;
  const merges = await withTransaction(
    deps.pool,
    async (tx) => (await deps.customers.resolveCustomers(tx, channel.tenantId, [identities], { type: 'system', id: 'inbox:webchat' })).merges,
  );
  if (merges.length) deps.customers.publishMerges(channel.tenantId, merges);
  return undefined;
}
