// The cases board's strings, in English and Chinese.
import type { Strings } from './shape.js';

export const casesEn = {
  title: 'Cases', subtitle: 'Every complaint and detractor followed until the customer is told what was done.',
  team: 'Team', allTeams: 'All teams', noTeam: 'No team', board: 'Board by status', empty: 'Nothing here.',
  status: { new: 'New', contacted: 'Contacted', resolved: 'Resolved', wont_fix: 'Won\'t fix' },
  sla: { contactDue: 'Contact due in {{time}}', contactLate: 'Contact overdue by {{time}}', resolveDue: 'Resolve in {{time}}', resolveLate: 'Resolution overdue by {{time}}', onTime: 'On time', late: 'Late', escalated: 'Escalated ×{{level}}' },
  priority: 'Priority', type: 'Type', customer: 'Customer', summary: 'Summary', topics: 'Topics', told: 'Customer told', notTold: 'Customer not told yet',
  open: 'New case', openExplain: 'A complaint taken on the phone or in a shop.', create: 'Open case',
  detail: 'Case', activity: 'Activity', close: 'Close',
  contact: 'Record a contact', channel: 'Channel', whatSaid: 'What was said', record: 'Record',
  resolve: 'Resolve', resolution: 'What was done', notify: 'Tell the customer', doResolve: 'Resolve and tell',
  wontFix: 'Won\'t fix', reason: 'Reason', doWontFix: 'Close as won\'t fix',
  assign: 'Move to team', doAssign: 'Move',
  issues: 'Improvement actions', issuesExplain: 'Group cases under one systemic issue; when the fix is done, every affected customer is told.', noIssues: 'No improvement actions yet.',
  issueTitle: 'Issue', rootCause: 'Root cause', action: 'Action', newIssue: 'New improvement action', createIssue: 'Create', cases: 'Cases',
  addToIssue: 'Add to improvement action', doAdd: 'Add', fix: 'Mark fixed and tell customers', fixAction: 'What was fixed', fixed: 'Fixed: {{cases}} cases resolved, {{customers}} customers told.',
  issueStatus: { open: 'Open', fixed: 'Fixed' },
  metrics: 'Loop closure by team', closureRate: 'Closure rate', firstContact: 'Median first contact (min)', resolveHours: 'Median resolve (h)', escalatedCount: 'Escalated',
};

export const casesZh: Strings<typeof casesEn> = {
  title: '工单', subtitle: '每一条投诉和贬损反馈都跟进到底，直到告诉客户我们做了什么。',
  team: '团队', allTeams: '全部团队', noTeam: '无团队', board: '按状态看板', empty: '暂无。',
  status: { new: '新建', contacted: '已联系', resolved: '已解决', wont_fix: '不予处理' },
  sla: { contactDue: '{{time}} 内需联系', contactLate: '联系已超时 {{time}}', resolveDue: '{{time}} 内需解决', resolveLate: '解决已超时 {{time}}', onTime: '按时', late: '超时', escalated: '已升级 ×{{level}}' },
  priority: '优先级', type: '类型', customer: '客户', summary: '摘要', topics: '话题', told: '已告知客户', notTold: '尚未告知客户',
  open: '新建工单', openExplain: '电话或门店受理的投诉。', create: '创建工单',
  detail: '工单详情', activity: '处理记录', close: '关闭',
  contact: '记录一次联系', channel: '渠道', whatSaid: '沟通内容', record: '记录',
  resolve: '解决', resolution: '处理结果', notify: '告知客户', doResolve: '解决并告知',
  wontFix: '不予处理', reason: '原因', doWontFix: '以不予处理关闭',
  assign: '转给团队', doAssign: '转交',
  issues: '改进行动', issuesExplain: '把工单归入一个系统性问题；问题修复后，所有受影响的客户都会收到通知。', noIssues: '还没有改进行动。',
  issueTitle: '问题', rootCause: '根本原因', action: '行动', newIssue: '新建改进行动', createIssue: '创建', cases: '工单',
  addToIssue: '加入改进行动', doAdd: '加入', fix: '标记已修复并通知客户', fixAction: '修复内容', fixed: '已修复：解决 {{cases}} 个工单，通知 {{customers}} 位客户。',
  issueStatus: { open: '进行中', fixed: '已修复' },
  metrics: '各团队闭环情况', closureRate: '闭环率', firstContact: '首次联系中位数（分钟）', resolveHours: '解决时长中位数（小时）', escalatedCount: '升级数',
};
