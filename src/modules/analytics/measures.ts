// Every measure analytics answers, by the path it is served under (GET /v1/analytics/<name>): what it
// answers, how the six filters apply to it, and the function that reads it from the roll-ups.
import type { Queryable } from '../../platform/db.js';
import type { MeasureQuery } from './filters.js';
import type { Measured, RefreshState } from './measured.js';
import type { AnalyticsSettings } from './settings.js';
import { measureCustomerValue, measureRetention, measureChurnRisk, measureSatisfiedButLeft, measurePromoterReferrals } from './measure-customers.js';
import { measureExperience, measureCxIndex } from './measure-experience.js';
import { measureDrivers } from './measure-drivers.js';
import { measureOperations, measureMessages, measureCoverage, measureLoop } from './measure-operations.js';
import { measureProgramme } from './measure-programme.js';
import { measureReputation } from './measure-reputation.js';

type MeasureFn = (db: Queryable, tenantId: string, q: MeasureQuery, state: RefreshState, settings: AnalyticsSettings) => Promise<Measured>;

const ALL = 'Every filter applies.';
/** Every measure, by the path it is served under (/v1/analytics/<name>), with what it answers and how the six filters apply to it. */
export const MEASURES: Record<string, { summary: string; filters: string; fn: MeasureFn }> = {
  'customer-value': {
    summary: "Customers, active customers, annual purchase per customer, repeat rate, RFM and CLV distributions, core customers' share of revenue",
    filters: `${ALL} Channel and touchpoint select customers by their last NPS or CSAT answer.`,
    fn: measureCustomerValue,
  },
  retention: {
    summary: 'Retention and churn by monthly cohort of first purchase',
    filters: `${ALL} The range selects cohorts; channel and touchpoint select customers by their last NPS or CSAT answer.`,
    fn: measureRetention,
  },
  'churn-risk': {
    summary: "Churn risk per customer from a logistic model trained on the tenant's history, its coefficients and held-out AUC",
    filters:
      "Segment, channel, touchpoint, tier and store apply. from/to are not applied (listed in filters_not_applied): the risk is each customer's as of the last refresh.",
    fn: measureChurnRisk,
  },
  'satisfied-but-left': {
    summary: 'Customers who said they were satisfied and then stopped buying: count and list',
    filters: `${ALL} from/to, when given, select those whose last purchase fell in the range.`,
    fn: measureSatisfiedButLeft,
  },
  'promoter-referrals': {
    summary: 'Share of promoters who actually referred someone',
    filters: `${ALL} from/to, when given, select promoters by the date of their last NPS answer.`,
    fn: measurePromoterReferrals,
  },
  experience: {
    summary: 'NPS, CSAT and CES trends with 95% confidence intervals',
    filters: `${ALL} Channel and touchpoint are the answer's; segment, tier and store the customer's.`,
    fn: measureExperience,
  },
  drivers: {
    summary: 'Which touchpoints and topics move NPS: regression coefficients, significance, importance/performance matrix',
    filters: `${ALL} With a touchpoint, only topics remain as drivers.`,
    fn: measureDrivers,
  },
  'cx-index': { summary: 'A CX index per touchpoint from NPS, CSAT and CES', filters: ALL, fn: measureCxIndex },
  operations: {
    summary: 'First response and resolution times, SLA attainment and backlog',
    filters:
      "Range, channel (the conversation's), segment, tier and store (its customer's) apply. touchpoint is not applied (filters_not_applied): conversations have none; nor is a saved segment (rolled up by RFM segment only).",
    fn: measureOperations,
  },
  messages: {
    summary: 'Messages per channel over time',
    filters:
      'Range, channel, segment, tier and store apply. touchpoint is not applied (filters_not_applied): messages have none; nor is a saved segment (rolled up by RFM segment only).',
    fn: measureMessages,
  },
  coverage: {
    summary: '7x24 coverage: inbound messages by hour of week against staffed hours',
    filters:
      'Range, channel, segment, tier and store apply. touchpoint is not applied (filters_not_applied): messages have none; nor is a saved segment (rolled up by RFM segment only).',
    fn: measureCoverage,
  },
  loop: {
    summary: 'Loop-closure rate and cost per complaint (agent time x hourly cost)',
    filters: `${ALL} Channel is the one the complaint came through (its conversation's or answer's). A saved segment is not applied (filters_not_applied): complaints are rolled up by RFM segment only.`,
    fn: measureLoop,
  },
  programme: {
    summary: 'Loyalty programme: members, active members, points, redemption and breakage, liability, cost per member, tiers and movements',
    filters: `${ALL} Liability is the whole programme's; cost per member is given for the whole programme or one tier only, null under other filters. Under a saved segment, members, tiers and movements are its members'; points and active members are null (they are rolled up by RFM segment only).`,
    fn: measureProgramme,
  },
  reputation: {
    summary: 'Mention volume, sentiment and share of voice',
    filters:
      'Range and channel apply. segment, tier, store and touchpoint are not applied (filters_not_applied): mentions are public posts, mostly by people who are not customers.',
    fn: measureReputation,
  },
};
