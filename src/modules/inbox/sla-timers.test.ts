import { describe, expect, it } from 'vitest';
import { parsePolicies, pickPolicy } from './sla-timers.js';

// Rows as loadPolicies reads them, oldest first.
const row = (id: string, team_id: string | null, priority: string | null) => ({
  id,
  team_id,
  priority,
  first_response_minutes: 60,
  next_response_minutes: null,
  resolution_minutes: null,
  warning_percent: 80,
  calendar: { kind: '24x7' },
  escalation: {},
});

describe('pickPolicy', () => {
  const policies = parsePolicies([
    row('default', null, null),
    row('default-later', null, null),
    row('urgent', null, 'urgent'),
    row('billing', 'tm_billing', null),
    row('billing-urgent', 'tm_billing', 'urgent'),
    row('billing-urgent-later', 'tm_billing', 'urgent'),
  ]);

  it('prefers team and priority, then team, then priority, then the tenant default, the oldest among equals', () => {
    expect(pickPolicy(policies, 'tm_billing', 'urgent')?.id).toBe('billing-urgent');
    expect(pickPolicy(policies, 'tm_billing', 'normal')?.id).toBe('billing');
    expect(pickPolicy(policies, 'tm_sales', 'urgent')?.id).toBe('urgent');
    expect(pickPolicy(policies, null, 'urgent')?.id).toBe('urgent');
    expect(pickPolicy(policies, 'tm_sales', 'normal')?.id).toBe('default');
    expect(pickPolicy(policies, null, 'low')?.id).toBe('default');
  });

  it("never takes another team's or another priority's policy, and finds none when only those exist", () => {
    const others = parsePolicies([row('billing', 'tm_billing', null), row('urgent', null, 'urgent')]);
    expect(pickPolicy(others, 'tm_sales', 'normal')).toBeUndefined();
    expect(pickPolicy(others, null, 'high')).toBeUndefined();
    expect(pickPolicy([], 'tm_billing', 'urgent')).toBeUndefined();
  });
});
