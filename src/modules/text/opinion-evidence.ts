// Whether a text carries an opinion at all: the third class. Questions, requests for information,
// announcements and factual news are neutral unless they also evaluate something; the binary model
// cannot say so (it was trained on reviews, every one of which has an opinion) and calls a plain
// question negative. P(neutral) is a logistic over a few counted cues, its weights chosen by hand
// on the development set (src/modules/text/dev-set).
import { LEXICON } from './sentiment-lexicon.js';

// Lexicon words that in a question or request name a thing rather than judge it ("退款进度",
// "麻烦帮我", "能不能", "有问题吗", "好的", "支持5G"): they count as opinion only outside questions and requests.
const AMBIGUOUS_ZH = new Set([
  '麻烦',
  '问题',
  '不能',
  '不可',
  '好',
  '支持',
  '快',
  '值',
  '卡',
  '爱',
  '退款',
  '退货',
  '投诉',
  '维权',
  '谢谢',
  '感谢',
  '一般',
  '优惠',
  '便宜',
  '方便',
  '合适',
  '不行',
  '及时',
  '漏',
  '雷',
  '错误',
  '霉',
  '乱',
  '破',
  '坏',
  '晕',
  '烦',
]);

// Opinion words the review lexicon lacks; they decide only opinion versus none, never polarity.
const PREFIXES = new Set([...'很太超真好挺蛮最更巨贼不没极特']);

const EXTRA_OPINION_ZH: ReadonlySet<string> = new Set([
  '暖心',
  '诚意',
  '可爱',
  '实用',
  '清楚',
  '客气',
  '效率',
  '热乎',
  '没动静',
  '没人理',
  '没人管',
  '不理',
  '太晚',
  '偏小',
  '偏大',
  '偏高',
  '隔音',
  '绕路',
  '多收',
  '碎',
  '洒',
  '清零',
  '占线',
  '无门',
  '服了',
  '呵呵',
  '过分',
  '夸张',
  '透顶',
  '再也不',
  '一星',
  '智商税',
  '好用',
  '丰富',
  '正宗',
  '回购',
  '对得起',
  '值得',
  '公道',
  '到位',
  '跟进',
  '复杂',
  '破损',
  '发热',
  '冷',
  '严重',
  '延误',
  '卡顿',
  '闪退',
  '莫名其妙',
  '无缘无故',
  '推诿',
  '不给',
  '根本',
  '太',
  '超级',
  '最好',
  '最差',
  '真的',
  '确实',
  '好多',
  '超时',
  '总是',
]);

const QUESTION_ZH =
  /[?？]|吗|嘛|请问|想问|咨询|如何|怎[么幺]|哪里|哪个|哪些|哪儿|几号|几点|几月|多少|多久|多长|什么时候|是否|能否|可否|有没有|能不能|可不可以|是不是|要不要|了解一下/;
const REQUEST_ZH =
  /^(?:请|麻烦|帮我|我想|想|需要|能帮|可以帮|劳驾)|请(?:帮|把|尽快|确认|查|问|查收|开|发|安排)|帮我|麻烦(?:帮|确认|查|你)|我想|想要|想了解|想确认|想咨询|申请|预约|查收|已经把|收到[，,]|好的[，,]/;
const ANNOUNCE_ZH =
  /【|公告|通知|发布|宣布|将于|即日起|据悉|获悉|记者|上线|举办|举行|同比|环比|营收|财报|开业|开幕|上市|调整|出炉|盘点|位于|距离|起售|售价|气温|取件码|已到达|已送达|已发货|还款日|账单金额|活动|转发|抽奖|抽|打卡|开会|会员号|订单号|验证码/;
// Questions that are complaints: why, how come again, when at last, still not.
const COMPLAINT_ZH = /为什么|为何|凭什么|到底|究竟|怎[么幺](?:又|还|这么|老是|总是|回事)|还没|一直没|都.{1,6}了|说好的|给个说法|投诉|[!！]{2,}/;

const QUESTION_EN = /\?|^(?:how|what|when|where|which|who|why|is|are|do|does|did|can|could|would|will|may|should)\b|\bwondering\b/i;
const REQUEST_EN = /\b(?:please|i'd like|i would like|i need|i want to|could you|can you|would you|let me know|i'm writing to ask|reminder)\b/i;
const ANNOUNCE_EN =
  /\b(?:announced?|announces|launch(?:es|ed)?|reported|said|will (?:be|launch|close|open|deliver|arrive)|scheduled|opening|starts? at|go(?:es)? on sale|appointed|rose|fell|revenue|located|from \d|\d+(?:am|pm)|dispatched|due on|redeem|now)\b/i;
const COMPLAINT_EN =
  /\b(?:why (?:has|have|is|are|do|does|did|can't|won't)|still (?:no|not)|never|again|unacceptable|ridiculous|nobody|no one|no reply|fix this)\b|!{2,}/i;
// Politeness and request words the AFINN lexicon scores that judge nothing in a request.
const POLITE_EN = new Set([
  'please',
  'thanks',
  'thank',
  'like',
  'work',
  'free',
  'help',
  'cancel',
  'ok',
  'okay',
  'welcome',
  'want',
  'hi',
  'hello',
  'sure',
  'yes',
  'no',
  'care',
  'fine',
  'interested',
  'share',
  'rain',
  'increase',
  'rose',
  'new',
  'warm',
  'pay',
  'charge',
  'charged',
  'fee',
  'problem',
  'unavailable',
  'easy',
  'ready',
  'safe',
  'gift',
]);

const EXTRA_OPINION_EN =
  /\b(?:forever|patient|affordable|soaked|delayed|unfriendly|overpriced|spotless|on hold|flimsy|rubbish|useless|constantly|damaged|broke|broken|crash(?:es|ing)?|dirty|rude|late|early|delicious|brilliant|attentive|excellent|perfectly|worth|billed|charged twice|took a month|nobody answered|well packed|fast|quick(?:ly)?|prompt(?:ly)?|speedy|swift|slow|cold|smelled|wrong)\b/i;

export interface OpinionEvidence {
  /** Strength of evaluative words, emoticons and complaint forms (0 = none). */
  opinion: number;
  /** Strength of question, request and announcement forms (0 = none). */
  neutralCues: number;
}

export function opinionEvidenceZh(normalized: string, words: readonly string[], emoticon: number): OpinionEvidence {
  let opinion = Math.abs(emoticon);
  // Plain lexicon opinion first: three opinion words outweigh every cue (P(neutral) < 0.03 either
  // way), and the cue patterns are the costliest part of a long review's analysis.
  let plain = 0;
  for (const w of words) if (LEXICON.has(w) && !AMBIGUOUS_ZH.has(w)) plain++;
  if (plain + opinion >= 3) return { opinion: plain + opinion, neutralCues: 0 };
  const question = QUESTION_ZH.test(normalized);
  const request = REQUEST_ZH.test(normalized);
  const asking = question || request;
  for (const w of words) {
    // jieba keeps "很脏", "很快", "不太好" whole: the opinion word is the rest after a degree or negation.
    const o = LEXICON.has(w)
      ? w
      : w.length > 1 && PREFIXES.has(w[0]) && LEXICON.has(w.slice(1))
        ? w.slice(1)
        : w.length > 2 && PREFIXES.has(w[1]) && LEXICON.has(w.slice(2))
          ? w.slice(2)
          : undefined;
    if (o && (!asking || !AMBIGUOUS_ZH.has(o) || o !== w)) opinion += 1;
  }
  // Looked for in message-length texts only: jieba cuts these terms unpredictably (太暖/心), so they are
  // found as substrings, a scan that would cost a long review more than the rest of its analysis.
  if (words.length < 40) for (const w of EXTRA_OPINION_ZH) if (normalized.includes(w)) opinion += 0.7;
  if (COMPLAINT_ZH.test(normalized)) opinion += 1.5;
  let neutralCues = 0;
  if (question) neutralCues += 1;
  if (request) neutralCues += 0.8;
  if (ANNOUNCE_ZH.test(normalized)) neutralCues += 1;
  return { opinion, neutralCues };
}

type WinkToken = { value: string; score?: number };

export function opinionEvidenceEn(text: string, tokens: readonly WinkToken[], emoticon: number): OpinionEvidence {
  let opinion = Math.abs(emoticon);
  for (const t of tokens) if (t.score && !POLITE_EN.has(t.value.toLowerCase())) opinion += Math.min(Math.abs(t.score), 3) / 2;
  if (EXTRA_OPINION_EN.test(text)) opinion += 0.8;
  if (COMPLAINT_EN.test(text)) opinion += 1.5;
  let neutralCues = 0;
  if (QUESTION_EN.test(text)) neutralCues += 1;
  if (REQUEST_EN.test(text)) neutralCues += 0.8;
  if (ANNOUNCE_EN.test(text)) neutralCues += 1;
  return { opinion, neutralCues };
}

/**
 * P(neutral): high with no opinion at all, higher still for a question or an announcement, falling
 * fast with each opinion word. `confidence` is |logit| of the polarity model, which on long texts
 * carries opinion the word lists miss.
 */
export function neutralProbability(e: OpinionEvidence, confidence: number, length: number): number {
  const modelOpinion = length > 30 ? Math.max(0, confidence - 1) : 0;
  const z = 0.6 + 1.2 * Math.min(e.neutralCues, 2) - 2.2 * e.opinion - 0.8 * modelOpinion;
  return 1 / (1 + Math.exp(-z));
}
