// Joins outreach and loyalty: templates name a member's figures as loyalty_<name>, and statements come
// from the ledger a page of members at a time. Given to outreach when it is built.
import type { LoyaltyService } from '../modules/loyalty/index.js';
import type { OutreachDeps } from '../modules/outreach/index.js';

export function outreachTemplatesReadLoyalty(loyalty: LoyaltyService): Pick<OutreachDeps, 'loyaltyVariables' | 'loyaltyStatements'> {
  return {
    loyaltyVariables: (tenantId, customerId) => loyalty.templateVariables(tenantId, customerId),
    loyaltyStatements: (tenantId, period, opts) => loyalty.statements(tenantId, period, opts),
  };
}
