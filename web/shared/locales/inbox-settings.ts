// Strings of the inbox's settings (channels, teams and agents, SLA policies, routing rules), in English and Chinese.
import type { Strings } from './shape.js';

export const inboxSettingsEn = {
  channels: 'Channels', noChannels: 'No channels yet.', addChannel: 'Add a channel', kind: 'Kind', name: 'Name', enabled: 'Enabled', disabled: 'Disabled',
  kinds: { webchat: 'Web chat (widget)', email: 'Email', sms: 'SMS (Twilio)', whatsapp: 'WhatsApp (Twilio)', wechat: 'WeChat Official Account', api: 'Signed API (Weibo, phone logs…)' },
  webhooks: 'Paste into the provider', secrets: 'Secrets', secretOnce: 'Copy this secret now: it is shown only once.', disable: 'Disable', enable: 'Enable',
  field: {
    allowed_origins: 'Sites allowed to chat (one origin per line)', welcome: 'Welcome message', address: 'Receiving address', from_name: 'Sender name', sendgrid_user: 'SendGrid user',
    account_sid: 'Account SID', from: 'Sending number', app_id: 'AppID', original_id: 'Original ID', source: 'Source name', outbound_url: 'Reply URL (where replies are posted)',
    auth_token: 'Auth token', token: 'Token', encoding_aes_key: 'EncodingAESKey', app_secret: 'AppSecret', mailgun_signing_key: 'Mailgun signing key', sendgrid_password: 'SendGrid password', smtp_password: 'SMTP password',
  },
  url: { websocket: 'WebSocket', widget_chat: 'Widget data-chat value', sendgrid: 'SendGrid Inbound Parse URL', mailgun: 'Mailgun route URL', twilio: 'Twilio messaging webhook', wechat: 'WeChat server URL', api: 'Webhook URL' },
  teams: 'Teams', noTeams: 'No teams yet.', addTeam: 'Add a team', assignment: 'Assignment', assign: { round_robin: 'Round robin', least_loaded: 'Least loaded' }, queued: 'Waiting', members: 'Members', manager: 'Manager',
  agents: 'Agents', noAgents: 'No agents yet.', addAgent: 'Add an agent', user: 'Console user', capacity: 'Capacity', status: 'Status', senior: 'Senior', agentTeams: 'Teams', none: 'None',
  agentStatus: { online: 'Online', away: 'Away', offline: 'Offline' }, open: 'Open conversations',
  sla: 'SLA policies', noSla: 'No SLA policies yet.', addSla: 'Add an SLA policy', firstResponse: 'First response (minutes)', nextResponse: 'Next response (minutes)', resolution: 'Resolution (minutes)',
  warning: 'Warn at (% of the time)', team: 'Team', anyTeam: 'Any team', priority: 'Priority', anyPriority: 'Any priority', calendar: 'Hours', allHours: 'Around the clock',
  routing: 'Routing rules', routingExplain: 'Evaluated top to bottom; the first rule that matches chooses the team.', noRules: 'No routing rules yet.', addRule: 'Add a routing rule',
  position: 'Order', keywords: 'Keywords (comma separated)', ruleChannels: 'Channels', languages: 'Languages (comma separated)', coreOnly: 'Core customers only', setPriority: 'Set priority',
  conditions: 'Conditions', remove: 'Remove', created: 'Created.',
};

export const inboxSettingsZh: Strings<typeof inboxSettingsEn> = {
  channels: '渠道', noChannels: '还没有渠道。', addChannel: '添加渠道', kind: '类型', name: '名称', enabled: '已启用', disabled: '已停用',
  kinds: { webchat: '网页聊天（挂件）', email: '电子邮件', sms: '短信（Twilio）', whatsapp: 'WhatsApp（Twilio）', wechat: '微信公众号', api: '签名 API（微博、电话记录等）' },
  webhooks: '粘贴到服务商后台', secrets: '密钥', secretOnce: '请立即复制此密钥：它只显示这一次。', disable: '停用', enable: '启用',
  field: {
    allowed_origins: '允许聊天的网站（每行一个源）', welcome: '欢迎语', address: '收件地址', from_name: '发件人名称', sendgrid_user: 'SendGrid 用户名',
    account_sid: '账户 SID', from: '发送号码', app_id: '公众号 AppID', original_id: '原始 ID', source: '来源名称', outbound_url: '回复地址（回复将发往此处）',
    auth_token: '认证令牌', token: '令牌（Token）', encoding_aes_key: '消息加解密密钥', app_secret: '开发者密码', mailgun_signing_key: 'Mailgun 签名密钥', sendgrid_password: 'SendGrid 密码', smtp_password: 'SMTP 密码',
  },
  url: { websocket: 'WebSocket 地址', widget_chat: '挂件 data-chat 值', sendgrid: 'SendGrid 入站解析地址', mailgun: 'Mailgun 路由地址', twilio: 'Twilio 消息回调地址', wechat: '微信服务器地址', api: '回调地址' },
  teams: '团队', noTeams: '还没有团队。', addTeam: '添加团队', assignment: '分配方式', assign: { round_robin: '轮流分配', least_loaded: '负载最少优先' }, queued: '等待中', members: '成员', manager: '主管',
  agents: '客服', noAgents: '还没有客服。', addAgent: '添加客服', user: '控制台用户', capacity: '同时接待上限', status: '状态', senior: '资深', agentTeams: '所属团队', none: '无',
  agentStatus: { online: '在线', away: '离开', offline: '离线' }, open: '进行中的会话',
  sla: 'SLA 策略', noSla: '还没有 SLA 策略。', addSla: '添加 SLA 策略', firstResponse: '首次响应（分钟）', nextResponse: '下次响应（分钟）', resolution: '解决（分钟）',
  warning: '预警点（时限的百分比）', team: '团队', anyTeam: '任意团队', priority: '优先级', anyPriority: '任意优先级', calendar: '服务时间', allHours: '全天候',
  routing: '路由规则', routingExplain: '自上而下依次匹配，第一条匹配的规则决定团队。', noRules: '还没有路由规则。', addRule: '添加路由规则',
  position: '顺序', keywords: '关键词（逗号分隔）', ruleChannels: '渠道', languages: '语言（逗号分隔）', coreOnly: '仅核心客户', setPriority: '设置优先级',
  conditions: '条件', remove: '删除', created: '已创建。',
};
