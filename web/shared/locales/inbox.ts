// The inbox's strings, in English and Chinese.
import type { Strings } from './shape.js';

export const inboxEn = {
  title: 'Inbox', queues: 'Queues', filters: 'Filters', all: 'All conversations', mine: 'Assigned to me', unassigned: 'Unassigned',
  team: 'Team queue: {{name}}', queued: '{{count}} waiting', status: 'Status', anyStatus: 'Any status',
  st: { open: 'Open', pending: 'Pending', snoozed: 'Snoozed', resolved: 'Resolved' },
  conversations: 'Conversations', none: 'No conversations here.', noSubject: '(no subject)', select: 'Choose a conversation on the left.',
  live: 'Live', offline: 'Reconnecting…', newArrived: 'New conversation',
  sla: { due: '{{time}} left', overdue: 'Overdue by {{time}}', met: 'SLA met', breached: 'SLA breached', none: 'No SLA', firstResponse: 'First response', nextResponse: 'Next response', resolution: 'Resolution' },
  priority: { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' },
  conversation: 'Conversation', messages: 'Messages', noMessages: 'No messages yet.', note: 'Internal note', customer: 'Customer', agent: 'Agent', you: 'You',
  composer: 'Composer', mode: 'Write', modeReply: 'Reply to customer', modeNote: 'Internal note', replyLabel: 'Your reply', noteLabel: 'Note for the team (the customer never sees it)',
  send: 'Send reply', addNote: 'Add note', shortcutHint: 'Ctrl+Enter sends', keys: 'Keys: j and k move through the list, r writes a reply.',
  canned: 'Canned replies', cannedPick: 'Insert a canned reply', cannedNone: 'No canned replies yet.', suggested: 'Suggested for this message', insert: 'Insert', articles: 'Help articles',
  assign: 'Assign or transfer', assignAgent: 'Agent', assignTeam: 'Team', nobody: 'Nobody', doAssign: 'Assign', assignedTo: 'Assigned to {{name}}', queuedIn: 'Waiting in {{name}}',
  resolve: 'Resolve', reopen: 'Reopen', resolved: 'Resolved.', requestCsat: 'Ask for a rating when resolving',
  context: 'Customer', profile: 'Profile', tier: 'Tier', points: 'Points', value: 'Value', clv: 'Lifetime value', core: 'Core customer',
  preferences: 'Preferences', consent: 'Consent', openCases: 'Open cases', noCases: 'No open cases.', lastFeedback: 'Last feedback', noFeedback: 'No feedback yet.',
  timeline: 'Recent timeline', hints: 'Next best actions', openProfile: 'Open the full profile', unknownCustomer: 'Unknown customer',
  channels: 'Channels', language: 'Language', window: 'Contact window',
  hint: {
    open_complaint_no_offers: 'Open complaint: do not offer products; resolve the complaint first.', open_case: 'Open case: check it before answering.',
    retention_offer: 'The customer may be leaving: consider a retention offer and involve a senior colleague.', core_customer: 'Core customer: answer personally and quickly.',
    recent_detractor: 'Their last feedback was negative: acknowledge it.', loyalty_tier: 'Loyalty tier {{tier}}: mention the benefits that apply.',
  },
};

export const inboxZh: Strings<typeof inboxEn> = {
  title: '收件箱', queues: '队列', filters: '筛选', all: '全部会话', mine: '分配给我', unassigned: '未分配',
  team: '团队队列：{{name}}', queued: '{{count}} 个等待中', status: '状态', anyStatus: '任意状态',
  st: { open: '处理中', pending: '待回复', snoozed: '已暂停', resolved: '已解决' },
  conversations: '会话', none: '这里还没有会话。', noSubject: '（无主题）', select: '请在左侧选择一个会话。',
  live: '实时', offline: '正在重新连接…', newArrived: '新会话',
  sla: { due: '剩余 {{time}}', overdue: '已超时 {{time}}', met: '已达成 SLA', breached: '已违反 SLA', none: '无 SLA', firstResponse: '首次响应', nextResponse: '下次响应', resolution: '解决' },
  priority: { low: '低', normal: '普通', high: '高', urgent: '紧急' },
  conversation: '会话内容', messages: '消息', noMessages: '暂无消息。', note: '内部备注', customer: '客户', agent: '客服', you: '我',
  composer: '回复区', mode: '撰写', modeReply: '回复客户', modeNote: '内部备注', replyLabel: '您的回复', noteLabel: '给团队的备注（客户看不到）',
  send: '发送回复', addNote: '添加备注', shortcutHint: 'Ctrl+Enter 发送', keys: '快捷键：j / k 在列表中上下移动，r 撰写回复。',
  canned: '快捷回复', cannedPick: '插入快捷回复', cannedNone: '还没有快捷回复。', suggested: '针对此消息的推荐', insert: '插入', articles: '帮助文章',
  assign: '分配或转接', assignAgent: '客服', assignTeam: '团队', nobody: '无', doAssign: '分配', assignedTo: '已分配给 {{name}}', queuedIn: '在 {{name}} 排队',
  resolve: '解决', reopen: '重新打开', resolved: '已解决。', requestCsat: '解决时邀请客户评分',
  context: '客户信息', profile: '资料', tier: '等级', points: '积分', value: '价值', clv: '生命周期价值', core: '核心客户',
  preferences: '偏好', consent: '授权', openCases: '未结工单', noCases: '没有未结工单。', lastFeedback: '最近反馈', noFeedback: '暂无反馈。',
  timeline: '近期时间线', hints: '建议的下一步', openProfile: '打开完整资料', unknownCustomer: '未知客户',
  channels: '渠道', language: '语言', window: '联系时段',
  hint: {
    open_complaint_no_offers: '有未结投诉：不要推销产品，先解决投诉。', open_case: '有未结工单：回复前先查看。',
    retention_offer: '客户可能要流失：考虑挽留优惠，并请资深同事参与。', core_customer: '核心客户：亲自、尽快回复。',
    recent_detractor: '最近的反馈是负面的：请先表示理解。', loyalty_tier: '会员等级 {{tier}}：提及适用的权益。',
  },
};
