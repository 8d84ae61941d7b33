// 简体中文：与 en.ts 结构相同，缺少任何键都无法通过类型检查。
import { casesZh } from './cases.js';
import { surveysZh } from './surveys.js';
import { loyaltyZh } from './loyalty.js';
import { listeningZh } from './listening.js';
import { inboxSettingsZh } from './inbox-settings.js';
import { tenantSettingsZh } from './tenant-settings.js';
import { inboxZh } from './inbox.js';
import { outreachZh } from './outreach.js';
import { knowledgeZh } from './knowledge.js';
import { homeZh } from './home.js';
import type { Messages } from './en.js';

export const zhCN: Messages = {
  inbox: inboxZh,
  cases: casesZh,
  surveys: surveysZh,
  loyalty: loyaltyZh,
  listening: listeningZh,
  inboxSettings: inboxSettingsZh,
  tenantSettings: tenantSettingsZh,
  outreach: outreachZh,
  knowledge: knowledgeZh,
  home: homeZh,
  common: {
    loading: '加载中…', error: '出错了，请重试。', networkError: '无法连接服务器，请检查网络。',
    notFound: '未找到。', forbidden: '您没有权限访问此内容。', tooMany: '尝试次数过多，请稍候。',
    comingWith: '此页面将随「{{what}}」模块上线。', language: '语言', skipToContent: '跳到正文', loadMore: '加载更多',
    search: '搜索', save: '保存', saved: '已保存。', cancel: '取消', edit: '编辑', add: '添加', remove: '移除', actions: '操作', yes: '是', no: '否',
  },
  topicEditor: { correct: '更正话题', label: '话题（键名，用逗号分隔）', hint: 'Rapport 会从这次更正中学习，用于类似的文本。' },
  auth: {
    title: '登录 Rapport', tenant: '公司（租户）', email: '邮箱', password: '密码', signIn: '登录', logout: '退出登录',
    wrong: '公司、邮箱或密码不正确。', tooMany: '登录失败次数过多，请 15 分钟后再试。',
  },
  roles: { admin: '管理员', manager: '经理', agent: '客服' },
  nav: {
    label: '主导航', work: '工作', admin: '管理', home: '首页', customers: '客户', inbox: '收件箱', surveys: '调研', cases: '工单',
    loyalty: '会员忠诚度', listening: '舆情监听', analytics: '数据分析', outreach: '客户触达', knowledge: '知识库', settings: '设置',
  },
  customers: {
    title: '客户', subtitle: '公司认识的每一位客户，覆盖所有渠道。', search: '搜索', searchHint: '姓名、邮箱、手机号…', searchBy: '搜索字段',
    anyField: '姓名或任一身份', segment: '客群', all: '全部', coreOnly: '核心客户', notCore: '其他客户', none: '没有符合条件的客户。',
    name: '姓名', value: '价值', orders: '订单数', lastSeen: '最近活跃', core: '核心客户',
  },
  identity: { email: '邮箱', phone: '手机号', wechat_openid: '微信 OpenID', wechat_unionid: '微信 UnionID', weibo_uid: '微博 UID', external_id: '外部 ID', anonymous_id: '匿名 ID' },
  channel: { email: '邮件', sms: '短信', wechat: '微信', weibo: '微博', webchat: '网页聊天', phone: '电话', whatsapp: 'WhatsApp', app_push: 'App 推送', web: '网页', widget: '网站组件' },
  purpose: { transactional: '交易通知', service: '服务', marketing: '营销' },
  customer: {
    since: '{{date}} 成为客户', mergedFrom: '通过已合并的档案 {{id}} 访问', sections: '客户信息分区',
    tab: { overview: '概览', timeline: '时间线', consent: '授权同意', merges: '合并', loyalty: '积分与等级', feedback: '反馈', cases: '工单', messages: '消息' },
    profile: '基本资料', givenName: '名', familyName: '姓', displayName: '显示名称', locale: '语言区域', timezone: '时区',
    value: '客户价值', recency: '最近购买', frequency: '购买频率', monetary: '消费金额', clv: '生命周期价值', coreCustomer: '核心客户', computedAt: '计算时间',
    activity: '活跃情况', firstSeen: '首次出现', lastSeen: '最近活跃', events: '事件数', spend: '消费', activityChart: '近期每月活跃情况',
    identities: '身份标识', noIdentities: '暂无身份标识。', kind: '类型', identityValue: '值', removeIdentity: '移除 {{value}}',
    attributes: '自定义属性', noAttributes: '暂无自定义属性。',
    preferences: '联系偏好', channelsInOrder: '联系渠道（按偏好排序）', windowStart: '可联系开始时间', windowEnd: '可联系结束时间',
    maxPerWeek: '每周最多消息数', language: '语言',
  },
  timeline: { filters: '时间线筛选', types: '事件类型', sources: '来源', from: '开始日期', to: '结束日期', apply: '应用', none: '时间线上暂无内容。' },
  eventType: {
    purchase: '购买', refund: '退款', page_view: '页面浏览', app_action: 'App 操作', sign_up: '注册', bill_issued: '账单生成',
    application_started: '开始申请', application_completed: '完成申请', location: '位置',
    customer: { created: '创建档案', profile_updated: '资料更新', preferences_updated: '偏好更新', consent_changed: '授权变更', merged: '档案合并' },
    feedback: { widget: '网站反馈' },
  },
  consent: {
    current: '当前授权', history: '授权历史', none: '暂无授权记录。', channel: '渠道', purpose: '用途', status: '状态',
    source: '来源', sourceHint: '如：电话、门店表单', when: '时间', granted: '已同意', withdrawn: '已撤回', record: '记录',
  },
  merge: {
    history: '合并记录', none: '此档案未发生过合并。', when: '时间', survivor: '保留', merged: '并入', rule: '规则',
    title: '将另一个档案合并到此档案', explain: '另一个档案的身份标识、事件和历史将移到这里；它的 ID 之后会指向此档案。',
    otherId: '另一个客户 ID', preview: '对比', keeps: '保留', absorbs: '并入', confirm: '将 {{other}} 合并到此档案',
  },
  settings: {
    tab: { users: '用户', 'api-keys': 'API 密钥', attributes: '属性', widget: '网站组件', channels: '渠道', teams: '团队', sla: 'SLA 策略', routing: '分配规则', policies: '业务规则' },
    adminOnly: '只有管理员可以修改设置。', users: '用户', addUser: '添加用户', name: '姓名', role: '角色', roleOf: '{{name}} 的角色', status: '状态',
    active: '启用中', disabled: '已停用', enable: '启用', disable: '停用', passwordHint: '至少 10 个字符。',
    apiKeys: 'API 密钥', noKeys: '暂无 API 密钥。', newKey: '新建 API 密钥', scopes: '权限范围', lastUsed: '最近使用', revoked: '已吊销', revoke: '吊销',
    createKey: '创建密钥', tokenOnce: '请立即复制此密钥，它不会再次显示：',
    attributes: '自定义属性', noAttributes: '尚未定义属性。', key: '键', type: '类型', label: '标签', define: '定义',
    widget: '网站组件', widgetExplain: '将此标签粘贴到网站的 </body> 之前，即可显示聊天与反馈入口。', widgetNoKey: '尚未创建组件密钥。',
    widgetCreate: '创建组件密钥', rotateKey: '更换密钥', allowedOrigins: '允许的网站', originsHint: '每行一个来源，如 https://www.example.com。留空表示任何网站。',
    widgetFeedback: '来自组件的反馈', noFeedback: '暂无反馈。', feedbackEmail: '留下的邮箱 {{email}}（未验证）',
  },
  scope: { ingest: '发送事件', read: '读取数据', write: '修改数据', admin: '管理密钥、用户和设置' },
  portal: {
    signIn: {
      title: '登录 {{tenant}}', titleNoTenant: '登录', explain: '请输入您在我们这里使用的邮箱地址，我们会发送 6 位验证码和登录链接。',
      email: '邮箱地址', send: '发送验证码', sent: '如果该地址对应一个账户，验证码已发出，10 分钟内有效，仅可使用一次。',
      code: '6 位验证码', verify: '登录', wrong: '验证码错误、已使用或已过期。', tooMany: '尝试次数过多，请 15 分钟后再试。',
      linkFailed: '此链接已使用或已过期，请重新获取验证码。', checking: '正在登录…', another: '使用其他地址',
      noTenant: '请打开公司提供给您的链接（链接末尾是公司名称）。',
    },
    hello: '您好，{{name}}', signOut: '退出登录', sections: '我的账户',
    tab: { profile: '个人资料', history: '往来记录', rewards: '积分与奖励', preferences: '偏好设置', privacy: '我的数据' },
    profile: { title: '个人资料', identities: '我们如何识别您', saved: '个人资料已保存。' },
    history: { title: '您与我们的全部往来', none: '暂无记录。', reply: '我们的回复' },
    rewards: {
      title: '积分与奖励', explain: '您的积分、等级进度和可选奖励。', points: '积分',
      pending: '另有 {{points}} 积分即将到账（待确认）。', expiring: '{{points}} 积分将于 {{date}} 前过期。',
      tier: '会员等级：{{tier}}', noTier: '暂无等级', toNext: '再获得 {{points}} 定级积分即可升至{{tier}}',
      catalogue: '可兑换的奖励', none: '目前没有可兑换的奖励。', cost: '{{points}} 积分', redeem: '兑换', soldOut: '已兑完',
      redeemLabel: '兑换{{reward}}', confirm: '确定用 {{points}} 积分兑换{{reward}}吗？', voucherTitle: '您的{{reward}}', voucher: '您的兑换码：', voucherUntil: '有效期至 {{date}}。',
      vouchers: '我的券', noVouchers: '您还没有兑换过奖励。', code: '兑换码', reward: '奖励', status: '状态', expires: '有效期至',
      voucherStatus: { issued: '可使用', used: '已使用', cancelled: '已取消', expired: '已过期' },
      historyTitle: '积分明细', noHistory: '暂无积分变动。', when: '日期', what: '变动', change: '积分',
      movement: { earned: '获得', pending: '待到账', released: '已到账', spent: '使用', expired: '过期', refunded: '退款扣回', returned: '退回', adjusted: '调整' },
      reasons: { purchase: '消费', manual: '客服添加', referral: '推荐好友', surprise: '到店惊喜', redemption: '兑换奖励', event: '活动', merge: '账户合并', job: '定期处理', engagement: '参与互动', expiry: '到期' },
      pendingPoints: '{{points}} 待到账',
    },
    prefs: { title: '我们如何以及何时联系您', saved: '偏好设置已保存。' },
    consent: { title: '我们可以就哪些内容联系您', explain: '每一项都可以随时开启或关闭。交易通知（收据、安全提醒）始终会发送。', toggle: '通过{{channel}}发送{{purpose}}', on: '开', off: '关' },
    privacy: {
      title: '您的数据', download: '下载我的全部数据（JSON）', downloadExplain: '我们保存的关于您的一切，打包成一个文件。',
      eraseTitle: '删除我的个人数据', eraseExplain: '我们将删除您的姓名、联系方式、消息和反馈，仅保留匿名统计数据（如过往购买金额）。此操作无法撤销。',
      eraseConfirm: '我了解此操作无法撤销', erase: '删除我的数据', erased: '您的个人数据已删除，您已退出登录。',
    },
  },
};
