// The listening screen's strings, in English and Chinese.
import type { Strings } from './shape.js';

export const listeningEn = {
  title: 'Listening', subtitle: 'What people say about the company in public, and when it turns into a crisis.',
  stream: 'Mention stream', filters: 'Filters', sentiment: 'Sentiment', angle: 'Angle', topic: 'Topic', any: 'Any', apply: 'Apply', none: 'No mentions match.',
  sent: { negative: 'Negative', neutral: 'Neutral', positive: 'Positive' },
  angles: { company: 'Company', brand: 'Brand', product: 'Product', executive: 'Executive', slogan: 'Slogan', competitor: 'Competitor', industry: 'Industry', weakness: 'Known weakness', partner: 'Partner', key_customer: 'Key customer', ip: 'Intellectual property' },
  reach: 'Reach {{n}}', open: 'Open the post', customer: 'Known customer',
  watchlist: 'Watch-list', watchExplain: 'The names and phrases that make a post about you, your competitors or your weak spots.', noTerms: 'The watch-list is empty.',
  term: 'Term', aliases: 'Aliases (comma separated)', addTerm: 'Add to watch-list', removeTerm: 'Remove {{term}}',
  alerts: 'Crisis alerts', noAlerts: 'No crisis alerts.', ongoing: 'Ongoing', ended: 'Ended', volume: 'Volume {{volume}} against a usual {{baseline}}', negativeShare: 'Negative share {{share}}% (usually {{usual}}%)', topTerms: 'Top terms',
  charts: 'Sentiment and share of voice', trend: 'Mentions by day and sentiment', sov: 'Share of voice', mentions: 'Mentions', noData: 'Not enough mentions yet.',
};

export const listeningZh: Strings<typeof listeningEn> = {
  title: '舆情监测', subtitle: '公众如何谈论公司，以及何时演变为危机。',
  stream: '提及流', filters: '筛选', sentiment: '情感', angle: '角度', topic: '话题', any: '任意', apply: '应用', none: '没有符合条件的提及。',
  sent: { negative: '负面', neutral: '中性', positive: '正面' },
  angles: { company: '公司', brand: '品牌', product: '产品', executive: '高管', slogan: '口号', competitor: '竞争对手', industry: '行业', weakness: '已知短板', partner: '合作伙伴', key_customer: '重点客户', ip: '知识产权' },
  reach: '覆盖 {{n}}', open: '打开原帖', customer: '已知客户',
  watchlist: '监测词表', watchExplain: '用于识别与公司、竞争对手或自身短板相关帖子的名称和短语。', noTerms: '监测词表为空。',
  term: '监测词', aliases: '别名（逗号分隔）', addTerm: '加入监测词表', removeTerm: '删除 {{term}}',
  alerts: '危机预警', noAlerts: '暂无危机预警。', ongoing: '进行中', ended: '已结束', volume: '声量 {{volume}}，平时约 {{baseline}}', negativeShare: '负面占比 {{share}}%（平时 {{usual}}%）', topTerms: '高频词',
  charts: '情感与声量份额', trend: '每日提及量（按情感）', sov: '声量份额', mentions: '提及数', noData: '提及数量还不够。',
};
