// The loyalty admin's strings, in English and Chinese.
import type { Strings } from './shape.js';

export const loyaltyEn = {
  title: 'Loyalty', subtitle: 'Earning rules, tiers, the rewards catalogue and what the points owe.',
  rules: 'Earning rules', baseRate: 'Points per unit spent', pointValue: 'Value of one point', pendingDays: 'Pending days (return window)',
  expiry: 'Points expire', expiryPolicy: { never: 'Never', fixed_days: 'A number of days after earning', end_of_month: 'At the end of a month', end_of_year: 'At the end of a year' },
  expiryDays: 'Days', perPurchaseCap: 'Most points per purchase', rates: 'Special rates (the most specific match wins)', rateId: 'Rule id', tier: 'Tier', category: 'Category', store: 'Store',
  rate: 'Rate', addRate: 'Add rate', removeRate: 'Remove rate {{id}}', engagement: 'Points for engagement', engagementKind: { review: 'Review', survey: 'Survey answered', referral: 'Referral', share: 'Share', check_in: 'Check-in', profile_completed: 'Profile completed' },
  save: 'Save programme', saved: 'Programme saved.', campaigns: '{{count}} campaigns', any: 'Any',
  dryRun: 'Dry run', dryRunExplain: 'What a purchase would earn under the rules as saved, and why. Nothing is written.', amount: 'Amount', run: 'Run', points: 'Points',
  step: 'Step', rule: 'Rule', fired: 'Applied', reason: 'Why', earns: 'This purchase earns {{points}} points.',
  tiers: 'Tiers', tierId: 'Id', tierName: 'Name', threshold: 'Threshold', multiplier: 'Earn multiplier', priorityRouting: 'Priority routing', addTier: 'Add tier', removeTier: 'Remove tier {{name}}',
  qualification: 'Qualify by', metric: { points: 'Points earned', spend: 'Money spent' }, graceDays: 'Grace days before a downgrade', review: 'Review tiers now', reviewed: '{{reviewed}} reviewed, {{changed}} changed.',
  rewards: 'Rewards catalogue', noRewards: 'No rewards yet.', rewardName: 'Reward', cost: 'Cost (points)', stock: 'Stock', unlimited: 'Unlimited', active: 'Active', addReward: 'Add reward', description: 'Description',
  deactivate: 'Withdraw', activate: 'Offer again',
  liability: 'Liability report', outstanding: 'Points outstanding', liabilityValue: 'Outstanding liability', breakage: 'Breakage recognised', members: 'Members', costPerMember: 'Cost per member',
  redemptionRate: 'Expected redemption rate', cohorts: 'Cohorts by month of issue', cohort: 'Cohort', issued: 'Issued', redeemed: 'Redeemed', expired: 'Expired', tierCosts: 'Cost by tier',
};

export const loyaltyZh: Strings<typeof loyaltyEn> = {
  title: '会员忠诚度', subtitle: '积分规则、会员等级、奖励目录，以及积分对应的负债。',
  rules: '积分规则', baseRate: '每消费 1 元获得积分', pointValue: '每积分价值', pendingDays: '待生效天数（退货期）',
  expiry: '积分过期', expiryPolicy: { never: '永不过期', fixed_days: '获得后若干天', end_of_month: '某月月底', end_of_year: '某年年底' },
  expiryDays: '天数', perPurchaseCap: '单笔消费积分上限', rates: '特殊比例（匹配最具体的一条）', rateId: '规则编号', tier: '等级', category: '品类', store: '门店',
  rate: '比例', addRate: '添加比例', removeRate: '删除比例 {{id}}', engagement: '互动奖励积分', engagementKind: { review: '评价', survey: '参与调研', referral: '推荐好友', share: '分享', check_in: '签到', profile_completed: '完善资料' },
  save: '保存方案', saved: '方案已保存。', campaigns: '{{count}} 个活动', any: '任意',
  dryRun: '试算', dryRunExplain: '按已保存的规则，一笔消费能得多少积分及原因。不会写入任何数据。', amount: '金额', run: '试算', points: '积分',
  step: '步骤', rule: '规则', fired: '已应用', reason: '原因', earns: '这笔消费可得 {{points}} 积分。',
  tiers: '会员等级', tierId: '编号', tierName: '名称', threshold: '门槛', multiplier: '积分倍数', priorityRouting: '优先接入', addTier: '添加等级', removeTier: '删除等级 {{name}}',
  qualification: '定级依据', metric: { points: '获得的积分', spend: '消费金额' }, graceDays: '降级前宽限天数', review: '立即评定等级', reviewed: '已评定 {{reviewed}} 位，变更 {{changed}} 位。',
  rewards: '奖励目录', noRewards: '还没有奖励。', rewardName: '奖励', cost: '所需积分', stock: '库存', unlimited: '不限', active: '上架', addReward: '添加奖励', description: '说明',
  deactivate: '下架', activate: '重新上架',
  liability: '负债报告', outstanding: '未兑换积分', liabilityValue: '未结负债', breakage: '已确认的过期收益', members: '会员数', costPerMember: '每会员成本',
  redemptionRate: '预计兑换率', cohorts: '按发放月份分组', cohort: '月份', issued: '发放', redeemed: '兑换', expired: '过期', tierCosts: '各等级成本',
};
