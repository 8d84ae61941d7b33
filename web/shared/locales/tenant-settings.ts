// Strings of the tenant's policies screen (settings areas), in English and Chinese.
import type { Strings } from './shape.js';

export const tenantSettingsEn = {
  title: 'Policies', explain: 'How Rapport treats every customer of this company. Changes apply at once and are kept in the audit log.',
  saved: 'Saved.', save: 'Save',
  feedback: 'Surveys', throttleDays: 'Days between two surveys to one customer', throttleHint: 'Empty: each survey decides.',
  customerValue: 'Customer value', corePercent: 'Core customers (top % by lifetime value)', lifespanYears: 'Lifetime value horizon (years)',
  identity: 'Identity resolution', autoMerge: 'Merge profiles that share an email, phone or external id automatically',
  loop: 'Closed loop', highValueClv: 'Cases of customers with at least this lifetime value are high priority', highValueHint: 'Empty: only core customers.',
  firstContact: 'First contact (minutes)', resolve: 'Resolution (hours)', priority: { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' },
  outreach: 'Marketing suppression', suppress: 'Hold back marketing while a case of these kinds is open (comma separated)',
};

export const tenantSettingsZh: Strings<typeof tenantSettingsEn> = {
  title: '业务规则', explain: '本公司对待每位客户的规则。修改立即生效，并记录在审计日志中。',
  saved: '已保存。', save: '保存',
  feedback: '调研', throttleDays: '同一客户两次调研之间的天数', throttleHint: '留空：由各调研自行决定。',
  customerValue: '客户价值', corePercent: '核心客户（按生命周期价值排名前 %）', lifespanYears: '生命周期价值的预测年数',
  identity: '身份识别', autoMerge: '共享邮箱、手机号或外部编号的档案自动合并',
  loop: '闭环', highValueClv: '生命周期价值达到此数的客户，其工单为高优先级', highValueHint: '留空：仅核心客户。',
  firstContact: '首次联系（分钟）', resolve: '解决（小时）', priority: { urgent: '紧急', high: '高', normal: '普通', low: '低' },
  outreach: '营销抑制', suppress: '以下类型的工单未关闭时暂停营销（逗号分隔）',
};
