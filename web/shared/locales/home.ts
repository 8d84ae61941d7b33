// The home screen's strings (each role's landing tiles), in English and Chinese.
import type { Strings } from './shape.js';

export const homeEn = {
  title: 'Home', managerSubtitle: 'How customers feel, what is late and what it costs, at a glance.', agentSubtitle: 'Your conversations, the ones about to miss their SLA first.',
  open: 'Open {{screen}}',
  experience: 'NPS and CSAT', experienceHint: 'Last 12 months, by month', nps: 'NPS', csat: 'CSAT', answers: '{{n}} answers', noScores: 'No survey answers in the last 12 months.',
  cases: 'Open cases by SLA', overdue: 'Overdue', dueSoon: 'Due within an hour', onTime: 'On time', noDue: 'No deadline', openCases: '{{n}} open cases', noCases: 'No open cases.',
  loop: 'Loop closure', loopHint: 'Cases whose customer was told what was done', closed: '{{closed}} of {{cases}} cases closed, {{told}} customers told', noLoop: 'No cases in the last 12 months.',
  alerts: 'Crisis alerts', activeAlerts: '{{n}} active now', noActive: 'None active', lastAlert: 'Last: {{when}}', noAlerts: 'No crisis alerts so far.',
  liability: 'Points liability', pointsOutstanding: '{{points}} points outstanding', members: '{{n}} members', noLiability: 'No points issued yet.',
  queue: 'My queue', queueCount: '{{n}} open conversations assigned to you', noAgent: 'You are not set up as an inbox agent yet.', emptyQueue: 'Nothing assigned to you right now.',
  unassigned: 'Waiting for anyone', unassignedCount: '{{n}} open conversations nobody has picked up',
  risks: 'SLA risks', riskHint: 'Breached or due within an hour, soonest first', noRisks: 'Every conversation is within its SLA.',
  breached: 'Breached', dueIn: 'due in {{time}}', lateBy: 'late by {{time}}', untitled: '(no text)',
};

export const homeZh: Strings<typeof homeEn> = {
  title: '首页', managerSubtitle: '客户感受如何、哪些事项逾期、成本几何，一目了然。', agentSubtitle: '您负责的会话，最先违反 SLA 的排在前面。',
  open: '打开{{screen}}',
  experience: 'NPS 与 CSAT', experienceHint: '近 12 个月，按月', nps: 'NPS（净推荐值）', csat: 'CSAT（满意度）', answers: '{{n}} 份回答', noScores: '近 12 个月没有调研回答。',
  cases: '未结工单 SLA 状态', overdue: '已逾期', dueSoon: '一小时内到期', onTime: '按时', noDue: '无期限', openCases: '{{n}} 个未结工单', noCases: '没有未结工单。',
  loop: '闭环率', loopHint: '已告知客户处理结果的工单', closed: '{{cases}} 个工单中已关闭 {{closed}} 个，已告知 {{told}} 位客户', noLoop: '近 12 个月没有工单。',
  alerts: '危机预警', activeAlerts: '当前 {{n}} 个进行中', noActive: '当前无进行中的预警', lastAlert: '最近：{{when}}', noAlerts: '目前没有危机预警。',
  liability: '积分负债', pointsOutstanding: '未兑换积分 {{points}}', members: '{{n}} 位会员', noLiability: '尚未发放积分。',
  queue: '我的队列', queueCount: '分配给您的未结会话 {{n}} 个', noAgent: '您尚未设置为收件箱坐席。', emptyQueue: '目前没有分配给您的会话。',
  unassigned: '待领取', unassignedCount: '{{n}} 个未结会话尚无人领取',
  risks: 'SLA 风险', riskHint: '已违反或一小时内到期，最紧急的在前', noRisks: '所有会话均在 SLA 之内。',
  breached: '已违反', dueIn: '{{time}} 后到期', lateBy: '已超时 {{time}}', untitled: '（无文字）',
};
