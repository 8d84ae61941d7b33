// "Why at risk": the features that move one customer's churn risk most, read off the model. On the
// standardised scale a feature contributes its coefficient times how many standard deviations the
// customer stands from the average customer; positive contributions raise the risk above the average
// customer's, negative ones lower it. Platt scaling multiplies every contribution by the same a > 0, so
// the order and the signs are those of the calibrated risk too.
import type { ChurnModel, Feature } from './churn-model.js';

export const FEATURE_LABELS: Record<Feature, { en: string; 'zh-CN': string }> = {
  months_since_purchase: { en: 'Months since the last purchase', 'zh-CN': '距上次购买的月数' },
  log_orders: { en: 'Number of orders', 'zh-CN': '订单数' },
  spend_trend: { en: 'Spend in the last 90 days against the 90 before', 'zh-CN': '近 90 天消费较前 90 天的变化' },
  tenure_months: { en: 'Months as a customer', 'zh-CN': '成为客户的月数' },
  points_activity: { en: 'Points activity in the last 90 days', 'zh-CN': '近 90 天积分活动' },
  nps_latest: { en: 'Latest NPS answer', 'zh-CN': '最近一次 NPS 评分' },
  nps_trend: { en: 'Change in NPS since the answer before', 'zh-CN': 'NPS 较上次的变化' },
  csat_latest: { en: 'Latest CSAT answer', 'zh-CN': '最近一次 CSAT 评分' },
  csat_trend: { en: 'Change in CSAT since the answer before', 'zh-CN': 'CSAT 较上次的变化' },
  ces_latest: { en: 'Latest effort (CES) answer', 'zh-CN': '最近一次费力度（CES）评分' },
  ces_trend: { en: 'Change in effort (CES) since the answer before', 'zh-CN': '费力度（CES）较上次的变化' },
  open_complaints: { en: 'Open complaints', 'zh-CN': '未解决的投诉' },
  recent_complaints: { en: 'Complaints in the last 90 days', 'zh-CN': '近 90 天的投诉' },
  sla_breaches: { en: 'Service targets missed in the last 90 days', 'zh-CN': '近 90 天未达成的服务时限' },
  contacts: { en: 'Conversations with support in the last 90 days', 'zh-CN': '近 90 天联系客服的次数' },
  unresolved_conversations: { en: 'Unresolved conversations', 'zh-CN': '未解决的会话' },
  negative_mentions: { en: 'Negative public mentions in the last 90 days', 'zh-CN': '近 90 天的负面公开提及' },
  few_orders_year: { en: 'Fewer than 3 orders in the last year', 'zh-CN': '近一年订单少于 3 笔' },
  lapsing: { en: 'No purchase in the last 45 days', 'zh-CN': '近 45 天没有购买' },
  nps_detractor: { en: "Latest NPS answer is a detractor's (0–6)", 'zh-CN': '最近一次 NPS 为贬损者（0–6 分）' },
  nps_promoter: { en: "Latest NPS answer is a promoter's (9–10)", 'zh-CN': '最近一次 NPS 为推荐者（9–10 分）' },
  csat_dissatisfied: { en: 'Latest CSAT answer is dissatisfied (1–2)', 'zh-CN': '最近一次 CSAT 为不满意（1–2 分）' },
  complaint_half_year: { en: 'A complaint in the last 180 days', 'zh-CN': '近 180 天有投诉' },
};

export interface RiskReason {
  feature: string;
  label: { en: string; 'zh-CN': string };
  value: number;
  /** The feature's share of the log odds against the average customer. */
  contribution: number;
  direction: 'raises' | 'lowers';
}

/** The `top` features with the largest contributions, either sign, largest first. */
export function explainChurnRisk(model: Pick<ChurnModel, 'coefficients'>, x: number[], top = 3): RiskReason[] {
  return model.coefficients
    .map((c, j) => ({ c, value: x[j], contribution: c.standardised * ((x[j] - c.mean) / (c.sd || 1)) }))
    .filter((r) => Number.isFinite(r.contribution) && Math.abs(r.contribution) > 1e-9)
    .sort((p, q) => Math.abs(q.contribution) - Math.abs(p.contribution) || p.c.feature.localeCompare(q.c.feature))
    .slice(0, top)
    .map(({ c, value, contribution }) => ({
      feature: c.feature,
      label: FEATURE_LABELS[c.feature as Feature] ?? { en: c.feature, 'zh-CN': c.feature },
      value: Math.round(value * 1000) / 1000,
      contribution: Math.round(contribution * 1000) / 1000,
      direction: contribution > 0 ? ('raises' as const) : ('lowers' as const),
    }));
}
