// The surveys screen's strings, in English and Chinese.
import type { Strings } from './shape.js';

export const surveysEn = {
  title: 'Surveys', subtitle: 'Ask at the right moment, in the customer\'s language, never too often.', list: 'Surveys', none: 'No surveys yet.', new: 'New survey',
  kind: { nps: 'NPS (likelihood to recommend)', csat: 'CSAT (satisfaction)', ces: 'CES (customer effort)', custom: 'Custom' },
  status: { active: 'Active', paused: 'Paused', archived: 'Archived' }, version: 'Version {{n}}',
  builder: 'Builder', name: 'Name', surveyKind: 'Survey type', titleEn: 'Title (English)', titleZh: 'Title (Chinese)',
  questions: 'Questions', question: 'Question {{n}}', key: 'Key', type: 'Type', textEn: 'Question (English)', textZh: 'Question (Chinese)', required: 'Required',
  options: 'Options, one per line: value | English | Chinese', scaleMin: 'Scale from', scaleMax: 'Scale to', addQuestion: 'Add question', removeQuestion: 'Remove question {{n}}',
  qtype: { nps: 'NPS 0–10', csat: 'CSAT 1–5', ces: 'CES 1–7', rating: 'Rating', single_choice: 'Single choice', multiple_choice: 'Multiple choice', text: 'Open text' },
  triggers: 'Triggers', noTriggers: 'No triggers: invitations are sent by hand or through the API.', addTrigger: 'Add trigger', removeTrigger: 'Remove trigger {{n}}',
  trigger: { event: 'After an event', abandonment: 'When a journey is abandoned', conversation_resolved: 'When a conversation is resolved', periodic: 'Periodically' },
  eventType: 'Event type', delay: 'Delay (minutes)', firstTimeOnly: 'Only the first time', startEvent: 'Start event', completeEvent: 'Completing event', within: 'Within (minutes)', everyDays: 'Every (days)', coreOnly: 'Core customers only',
  resolvedHint: 'Website chat visitors are asked in the widget, at once or on their next page.',
  throttling: 'Throttling', throttleDays: 'Ask one customer at most once every (days)', throttleHint: 'Empty uses the company-wide rule.', channel: 'Channel', touchpoint: 'Touchpoint',
  save: 'Save survey', saved: 'Saved as version {{n}}.', pause: 'Pause', activate: 'Activate',
  preview: 'Preview', previewIn: 'Preview in {{lang}}', likely: 'Not likely', veryLikely: 'Very likely',
  results: 'Results', trend: '{{kind}} by week', score: 'Score', responses: 'Responses', distribution: 'Answers by score', count: 'Count',
  topics: 'Topics: detractors against promoters', topic: 'Topic', detractors: 'Detractors', promoters: 'Promoters', blamed: 'Named with a complaint', praised: 'Named with praise', noResults: 'No responses yet.',
  recent: 'Recent responses', openText: 'Comment', interval: '95% interval {{low}} to {{high}}', measureOf: '{{kind}} score',
};

export const surveysZh: Strings<typeof surveysEn> = {
  title: '调研', subtitle: '在合适的时机、用客户的语言提问，绝不打扰过度。', list: '调研列表', none: '还没有调研。', new: '新建调研',
  kind: { nps: 'NPS（推荐意愿）', csat: 'CSAT（满意度）', ces: 'CES（费力度）', custom: '自定义' },
  status: { active: '启用', paused: '已暂停', archived: '已归档' }, version: '第 {{n}} 版',
  builder: '编辑器', name: '名称', surveyKind: '调研类型', titleEn: '标题（英文）', titleZh: '标题（中文）',
  questions: '问题', question: '问题 {{n}}', key: '键', type: '题型', textEn: '问题（英文）', textZh: '问题（中文）', required: '必答',
  options: '选项，每行一个：值 | 英文 | 中文', scaleMin: '量表起点', scaleMax: '量表终点', addQuestion: '添加问题', removeQuestion: '删除问题 {{n}}',
  qtype: { nps: 'NPS 0–10 分', csat: 'CSAT 1–5 分', ces: 'CES 1–7 分', rating: '评分', single_choice: '单选', multiple_choice: '多选', text: '开放题' },
  triggers: '触发条件', noTriggers: '无触发条件：邀请需手动或通过 API 发出。', addTrigger: '添加触发条件', removeTrigger: '删除触发条件 {{n}}',
  trigger: { event: '事件发生后', abandonment: '流程中途放弃时', conversation_resolved: '会话解决时', periodic: '定期' },
  eventType: '事件类型', delay: '延迟（分钟）', firstTimeOnly: '仅首次', startEvent: '开始事件', completeEvent: '完成事件', within: '时限（分钟）', everyDays: '间隔（天）', coreOnly: '仅核心客户',
  resolvedHint: '网站聊天的访客会在网站组件中收到问卷（立即或在下一个页面）。',
  throttling: '频率控制', throttleDays: '同一客户至少间隔（天）', throttleHint: '留空则使用公司统一规则。', channel: '渠道', touchpoint: '触点',
  save: '保存调研', saved: '已保存为第 {{n}} 版。', pause: '暂停', activate: '启用',
  preview: '预览', previewIn: '{{lang}}预览', likely: '不太可能', veryLikely: '非常可能',
  results: '结果', trend: '每周 {{kind}}', score: '得分', responses: '回复数', distribution: '各分值回复数', count: '数量',
  topics: '话题：贬损者与推荐者对比', topic: '话题', detractors: '贬损者', promoters: '推荐者', blamed: '负面提及', praised: '正面提及', noResults: '暂无回复。',
  recent: '最新回复', openText: '评论', interval: '95% 区间 {{low}} 至 {{high}}', measureOf: '{{kind}} 得分',
};
