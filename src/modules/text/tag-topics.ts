// Customer-experience topics (aspects) in Chinese and English, and the sentiment of each aspect where
// the text allows: the clause that names the aspect is scored on its own, so "菜很好吃，但是送餐太慢"
// is positive on product quality and negative on delivery.
import { analyzeSentiment, type Sentiment, type SentimentLabel } from './analyze-sentiment.js';
import type { Language } from './detect-language.js';
import { isPunctuation } from './is-punctuation.js';

export interface TopicDefinition {
  /** Stable key, e.g. `waiting_time`. */
  key: string;
  name: { zh: string; en: string };
  /** Simplified Chinese terms (traditional text is folded before matching). */
  zh: string[];
  /** English terms, matched as whole words, case-insensitive. */
  en: string[];
}

export const DEFAULT_TOPICS: readonly TopicDefinition[] = [
  {
    key: 'service_attitude',
    name: { zh: '服务态度', en: 'Service attitude' },
    zh: [
      '态度',
      '服务',
      '客服',
      '热情',
      '冷漠',
      '耐心',
      '礼貌',
      '敷衍',
      '傲慢',
      '爱理不理',
      '周到',
      '回电',
      '回复',
      '解答',
      '跟进',
      '联系不上',
      '没人理',
      '亲切',
      '推诿',
    ],
    en: [
      'attitude',
      'rude',
      'polite',
      'friendly',
      'unfriendly',
      'helpful',
      'unhelpful',
      'service',
      'customer service',
      'courteous',
      'support',
      'no reply',
      'patient',
    ],
  },
  {
    key: 'waiting_time',
    name: { zh: '等待时间', en: 'Waiting time' },
    zh: [
      '等了',
      '等待',
      '排队',
      '排了',
      '等很久',
      '半天',
      '太久',
      '慢',
      '效率',
      '拖延',
      '等候',
      '久等',
      '等着',
      '迟迟',
      '延误',
      '晚点',
      '分钟',
      '个小时',
      '半小时',
      '很久',
      '好久',
      '两周',
      '半个月',
      '一个月',
      '工作日',
      '占线',
    ],
    en: [
      'wait',
      'waits',
      'waiting',
      'waited',
      'queue',
      'queued',
      'queuing',
      'queueing',
      'in line',
      'slow',
      'delay',
      'delayed',
      'forever',
      'took ages',
      'on hold',
      'took a month',
      'took weeks',
      'took days',
      'took hours',
      'weeks',
    ],
  },
  {
    key: 'price',
    name: { zh: '价格', en: 'Price' },
    zh: ['价格', '价钱', '贵', '便宜', '性价比', '划算', '实惠', '收费', '涨价', '优惠', '折扣', '不值', '手续费', '运费', '售价', '调价', '价位'],
    en: ['price', 'prices', 'expensive', 'cheap', 'overpriced', 'value for money', 'cost', 'pricey', 'affordable', 'discount', 'fee', 'value'],
  },
  {
    key: 'product_quality',
    name: { zh: '产品质量', en: 'Product quality' },
    zh: [
      '质量',
      '品质',
      '做工',
      '故障',
      '坏了',
      '假货',
      '正品',
      '耐用',
      '味道',
      '好吃',
      '难吃',
      '手感',
      '材质',
      '瑕疵',
      '破损',
      '分量',
      '尺码',
      '续航',
      '发热',
      '好看',
      '产品',
      '餐点',
    ],
    en: ['quality', 'broken', 'defective', 'faulty', 'durable', 'fake', 'taste', 'works', 'stopped working', 'build', 'food', 'meal', 'product'],
  },
  {
    key: 'delivery',
    name: { zh: '配送物流', en: 'Delivery' },
    zh: [
      '快递',
      '物流',
      '配送',
      '送货',
      '送餐',
      '发货',
      '外卖',
      '骑手',
      '包装',
      '到货',
      '送到',
      '派送',
      '签收',
      '收货',
      '包邮',
      '包裹',
      '快递员',
      '送得',
      '运送',
    ],
    en: ['delivery', 'delivered', 'shipping', 'shipped', 'courier', 'package', 'parcel', 'arrived', 'dispatch', 'ship', 'deliver', 'late'],
  },
  {
    key: 'app_website',
    name: { zh: 'App与网站', en: 'App/website' },
    zh: ['app', '网站', '官网', '小程序', '页面', '闪退', '卡顿', '登录', '登陆', '界面', '系统', '网页', '更新', 'bug', '当机', '加载'],
    en: ['app', 'website', 'site', 'login', 'log in', 'crash', 'crashes', 'page', 'checkout', 'bug', 'interface', 'update', 'crashing', 'logged'],
  },
  {
    key: 'billing',
    name: { zh: '账单支付', en: 'Billing' },
    zh: ['账单', '扣费', '扣款', '支付', '付款', '发票', '多收', '乱收费', '自动续费', '收费', '充值', '多扣', '刷卡', '信用卡'],
    en: [
      'bill',
      'billing',
      'charged',
      'charge',
      'invoice',
      'payment',
      'overcharged',
      'subscription',
      'renewal',
      'pay',
      'paying',
      'charging',
      'billed',
      'statement',
    ],
  },
  {
    key: 'staff',
    name: { zh: '员工', en: 'Staff' },
    zh: ['员工', '店员', '服务员', '工作人员', '前台', '经理', '导购', '空姐', '司机', '师傅', '保安', '柜员', '快递员', '小姐姐'],
    en: ['staff', 'employee', 'employees', 'waiter', 'waitress', 'manager', 'cashier', 'agent', 'receptionist', 'driver', 'crew', 'cleaner'],
  },
  {
    key: 'cleanliness',
    name: { zh: '卫生', en: 'Cleanliness' },
    zh: ['干净', '卫生', '脏', '整洁', '异味', '臭', '蟑螂', '头发', '灰尘', '霉', '清洁', '霉味'],
    en: ['clean', 'dirty', 'filthy', 'hygiene', 'smell', 'smelly', 'stain', 'cockroach', 'dust', 'tidy', 'spotless', 'smoke'],
  },
  {
    key: 'refund',
    name: { zh: '退款退货', en: 'Refund' },
    zh: ['退款', '退货', '退钱', '退费', '换货', '售后', '赔偿', '理赔', '退票', '赔付', '不给退', '不能退', '可退'],
    en: ['refund', 'refunded', 'return', 'returned', 'money back', 'compensation', 'exchange', 'chargeback'],
  },
];

export interface TopicHit {
  topic: string;
  /** The terms of the topic found in the text. */
  terms: string[];
  /** Sentiment of the clauses naming the topic; absent when those clauses carry none. */
  sentiment?: SentimentLabel;
  score?: number;
}

interface CompiledTopic {
  key: string;
  zh: string[];
  zhLatin: RegExp | undefined;
  en: RegExp | undefined;
}

function wordsRegExp(terms: string[]): RegExp | undefined {
  return terms.length ? new RegExp(`\\b(?:${terms.map((x) => escapeRegExp(x.toLowerCase())).join('|')})\\b`, 'g') : undefined;
}

const compiled = new WeakMap<readonly TopicDefinition[], CompiledTopic[]>();

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(topics: readonly TopicDefinition[]): CompiledTopic[] {
  let c = compiled.get(topics);
  if (!c) {
    c = topics.map((t) => ({
      key: t.key,
      // Latin terms in the Chinese list ("app", "bug") must be whole words, or "happy" would hit "app".
      zh: t.zh.filter((x) => !/^[\x00-\x7f]+$/.test(x)),
      zhLatin: wordsRegExp(t.zh.filter((x) => /^[\x00-\x7f]+$/.test(x))),
      en: wordsRegExp(t.en),
    }));
    compiled.set(topics, c);
  }
  return c;
}

/** Merge a tenant's topics over the defaults: same key extends the terms, a new key adds a topic. */
export function mergeTopics(extra: readonly TopicDefinition[] = [], base: readonly TopicDefinition[] = DEFAULT_TOPICS): TopicDefinition[] {
  const out = base.map((t) => ({ ...t, zh: [...t.zh], en: [...t.en] }));
  for (const e of extra) {
    const t = out.find((x) => x.key === e.key);
    if (t) {
      t.zh.push(...e.zh);
      t.en.push(...e.en);
    } else out.push({ ...e, zh: [...e.zh], en: [...e.en] });
  }
  return out;
}

// Waiting time: slowness said of a parcel's transit is delivery's ("物流太慢", "shipping was slow"), not a
// wait for service; and a wait the customer states is a complaint about it ("虽然等了很久，但是服务员态度很好":
// the service is praised, the wait is not) unless they say it was short or did not happen.
const WAIT_SPEED_TERMS = new Set(['慢', 'slow']);
const PARCEL_TRANSIT = /快递|物流|发货|包裹|运送|shipping|shipped|courier|parcel|package/;
const WAIT_STATED =
  /等了|排了|等很久|很久|好久|太久|半天|久等|迟迟|延误|晚点|占线|拖延|\b(?:waited|waiting|on hold|forever|delayed|took (?:ages|forever|a month|weeks|days|hours))\b/;
const WAIT_SHORT = /不用|无需|没等|不等|不久|很快|及时|马上|立刻|秒回|\b(?:no wait|quick|quickly|fast|promptly|didn't (?:have to )?wait|without waiting)\b/;

// Clauses end at punctuation and at contrast and concession words: each aspect takes the polarity of
// its own clause ("物流慢但是客服很耐心": delivery negative, service positive).
const CLAUSE = /[,.;!?，。；！？\n、~～…]+|\s(?:but|however|although|though|yet|while)\s|但是|不过|可是|虽然|却|就是|可惜/u;

const CONTRAST = /\b(?:but|however|although|though|yet)\b|但是|但|不过|可是|却|就是|可惜/gu;

/** Words of a text (Chinese: segmented; other languages: about five characters each) whose plain aspects inherit its opinion. */
const INHERIT_WITHIN = 40;

const CONTRAST_WORD = new Set(['但是', '但', '不过', '可是', '却', '就是', '然而', '可惜', '只是']);

const CLAUSE_PUNCTUATION = /^[,.;!?，。；！？、~～…]+$/;

const CLAUSE_WORD = new Set([
  '但是',
  '但',
  '不过',
  '可是',
  '却',
  '就是',
  '虽然',
  '虽',
  '尽管',
  '然而',
  '可惜',
  '只是',
  ',',
  '.',
  ';',
  '!',
  '?',
  '，',
  '。',
  '；',
  '！',
  '？',
  '、',
  '~',
  '～',
  '…',
]);

/** Clauses of segmented Chinese, so that each clause is scored without segmenting it again. */
function clausesFromWords(words: readonly string[]): { text: string; words: string[] }[] {
  const out: { text: string; words: string[] }[] = [];
  let cur: string[] = [];
  for (const w of words) {
    if (CLAUSE_WORD.has(w) || (isPunctuation(w) && CLAUSE_PUNCTUATION.test(w))) {
      if (cur.length) out.push({ text: cur.join(''), words: cur });
      cur = [];
    } else cur.push(w);
  }
  if (cur.length) out.push({ text: cur.join(''), words: cur });
  return out;
}

/** The words of the named clauses joined as `key` joins their texts: no clause is segmented twice. */
function wordsOf(segmented: { text: string; words: string[] }[], where: Set<string>): string[] {
  const out: string[] = [];
  for (const text of where) {
    const c = segmented.find((x) => x.text === text)!;
    if (out.length) out.push('，');
    for (const w of c.words) out.push(w);
  }
  return out;
}

/**
 * `normalized` is the output of normalizeText (lower-cased, simplified); `words` its segmentation
 * when the caller has it (Chinese), which spares a second segmentation per aspect.
 */
export function tagTopics(
  normalized: string,
  language: Language,
  topics: readonly TopicDefinition[] = DEFAULT_TOPICS,
  words?: readonly string[],
  opts: { document?: Sentiment } = {},
): TopicHit[] {
  const segmented = language === 'zh' && words ? clausesFromWords(words) : undefined;
  const clauses = segmented ? segmented.map((c) => c.text) : normalized.split(CLAUSE).filter((c) => c.trim());
  const scored = new Map<string, ReturnType<typeof analyzeSentiment>>();
  const hits: TopicHit[] = [];
  // Every clause is a substring of the whole text (spaces dropped for segmented Chinese, as the
  // segmenter drops them): a term absent from the whole is not looked for clause by clause.
  const whole = segmented && words ? words.join('') : normalized;
  for (const t of compile(topics)) {
    const zhTerms = t.zh.filter((term) => whole.includes(term));
    const res = (language === 'zh' ? [t.zhLatin] : [t.zhLatin, t.en]).filter((re): re is RegExp => !!re && whole.search(re) >= 0);
    if (!zhTerms.length && !res.length) continue;
    const terms = new Set<string>();
    const where = new Set<string>();
    const isWait = t.key === 'waiting_time';
    for (const clause of clauses) {
      const isTransit = isWait && PARCEL_TRANSIT.test(clause);
      for (const term of zhTerms)
        if (clause.includes(term) && !(isTransit && WAIT_SPEED_TERMS.has(term))) {
          terms.add(term);
          where.add(clause);
        }
      for (const re of res)
        for (const m of clause.matchAll(re))
          if (!(isTransit && WAIT_SPEED_TERMS.has(m[0]))) {
            terms.add(m[0]);
            where.add(clause);
          }
    }
    if (!terms.size) continue;
    const hit: TopicHit = { topic: t.key, terms: [...terms] };
    const key = [...where].join('，');
    let s = scored.get(key);
    if (!s) {
      s = analyzeSentiment(
        key,
        language === 'zh' || language === 'en' ? { language, ...(segmented ? { normalized: key, words: wordsOf(segmented, where) } : {}) } : {},
      );
      scored.set(key, s);
    }
    if (s.label !== 'neutral') {
      hit.sentiment = s.label;
      hit.score = Math.round(s.score * 1000) / 1000;
    }
    // The wait's own clauses and the one after each ("等了五分钟就轮到我了，很快").
    if (
      isWait &&
      s.label !== 'negative' &&
      WAIT_STATED.test(key) &&
      !clauses.some((c, i) => (where.has(c) || where.has(clauses[i - 1])) && WAIT_SHORT.test(c))
    ) {
      hit.sentiment = 'negative';
      hit.score = Math.round(Math.min(s.score, -0.5) * 1000) / 1000;
    }
    hits.push(hit);
  }
  // An aspect whose own clause says nothing takes the opinion it sits under: the text's when the text
  // does not turn ("发票开错了三次，太折腾了": the complaint is about the bill), else the main clause's,
  // after the last turn ("退票却要收手续费，太坑了").
  // Only in a message-length text: a long review names its aspects in clauses of their own.
  if (opts.document && opts.document.label !== 'neutral' && (words ? words.length : normalized.length / 5) < INHERIT_WITHIN && hits.some((h) => !h.sentiment)) {
    let main = opts.document;
    if (segmented && words) {
      // The words after the last contrast word, scored without segmenting them again.
      let last = -1;
      for (let i = 0; i < words.length; i++) if (CONTRAST_WORD.has(words[i])) last = i;
      if (last >= 0) {
        const tail = words.slice(last + 1);
        main = analyzeSentiment(tail.join(''), { language, normalized: tail.join(''), words: tail });
      }
    } else {
      let last = -1;
      for (const m of normalized.matchAll(CONTRAST)) last = m.index + m[0].length;
      if (last >= 0) main = analyzeSentiment(normalized.slice(last), language === 'zh' || language === 'en' ? { language } : {});
    }
    if (main.label !== 'neutral')
      for (const h of hits)
        if (!h.sentiment) {
          h.sentiment = main.label;
          h.score = Math.round(main.score * 1000) / 1000;
        }
  }
  return hits;
}
