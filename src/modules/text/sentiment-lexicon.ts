import { isPunctuation } from './is-punctuation.js';
// Hand-kept sentiment lexicon for simplified Chinese. It is not the model: the model learns one weight
// for the lexicon's rule-based score (negation and degree aware), which carries short texts the
// n-gram features barely cover ("不是很好", "没有不满意").

const POSITIVE = `好 很好 不错 满意 喜欢 推荐 值得 棒 赞 优秀 完美 惊喜 感谢 谢谢 感动 开心 高兴 愉快 舒服 舒适
干净 整洁 方便 快捷 及时 准时 划算 实惠 便宜 超值 热情 周到 耐心 专业 贴心 礼貌 友好 细心 负责 靠谱 给力
漂亮 美观 精致 好看 好吃 美味 可口 新鲜 流畅 稳定 清晰 安静 宽敞 温馨 正品 满分 好评 点赞 厉害 优质 物美价廉
支持 信赖 放心 省心 顺利 快 便利 合适 喜爱 爱 佩服 出色 优惠 值 好用 挺好 不失望 五星 赞赏 温暖 可靠 耐用`;

const NEGATIVE = `差 很差 不好 失望 不满 不满意 垃圾 糟糕 烂 坑 骗 骗子 欺骗 投诉 恶心 难吃 难用 后悔 生气 愤怒 差劲 敷衍
冷漠 傲慢 粗鲁 无礼 态度差 慢 拖延 延误 迟到 脏 乱 臭 吵 破 坏 故障 死机 卡顿 卡 问题 毛病 缺陷 假货 山寨
贵 不值 坑爹 忽悠 推诿 扯皮 退货 退款 差评 气愤 无语 郁闷 崩溃 晕 心寒 寒心 恶劣 离谱 可恶 讨厌 麻烦 折腾 糟心
霉 发霉 过期 变质 漏 损坏 丢失 错误 失败 不行 不能 不可 一般 太差 难看 难受 痛苦 遗憾 可惜 无奈 黑心 霸王 欺诈
辣鸡 智商税 翻车 踩雷 雷 避雷 吐槽 维权 曝光 起诉 不靠谱 耽误 浪费 抱怨 烦 烦人 不爽 不专业 简陋 陈旧 老旧 破旧`;

function weights(list: string, w: number): Map<string, number> {
  return new Map(
    list
      .split(/\s+/)
      .filter(Boolean)
      .map((x) => [x, w]),
  );
}

export const LEXICON: ReadonlyMap<string, number> = new Map([...weights(POSITIVE, 1), ...weights(NEGATIVE, -1)]);

/** Words that flip the polarity of the next opinion word within a short window. */
export const NEGATORS: ReadonlySet<string> = new Set([
  '不',
  '没',
  '没有',
  '不是',
  '别',
  '无',
  '非',
  '未',
  '并非',
  '不会',
  '不要',
  '毫无',
  '从不',
  '从没',
  '绝不',
  '不够',
  '没什么',
  '并不',
  '不太',
  '不怎么',
]);

/** Degree adverbs scale the next opinion word; a few soften it. */
export const DEGREE: ReadonlyMap<string, number> = new Map([
  ['很', 1.5],
  ['非常', 2],
  ['特别', 2],
  ['十分', 2],
  ['太', 2],
  ['超', 2],
  ['超级', 2],
  ['极', 2],
  ['极其', 2.5],
  ['相当', 1.7],
  ['真', 1.5],
  ['真的', 1.5],
  ['好', 1.3],
  ['挺', 1.3],
  ['蛮', 1.3],
  ['更', 1.5],
  ['最', 2],
  ['巨', 2],
  ['贼', 2],
  ['实在', 1.7],
  ['有点', 0.6],
  ['有些', 0.6],
  ['稍微', 0.5],
  ['略', 0.5],
  ['比较', 0.8],
  ['还', 0.8],
  ['还算', 0.7],
]);

/**
 * Weibo bracket emoticons and common emoji with a fixed polarity. [微笑] is deliberately mild: on
 * Weibo it is as often sarcastic as friendly.
 */
export const EMOTICONS: ReadonlyMap<string, number> = new Map([
  ['[怒]', -2],
  ['[怒骂]', -2],
  ['[抓狂]', -1.5],
  ['[鄙视]', -1.5],
  ['[衰]', -1],
  ['[吐]', -1.5],
  ['[失望]', -1.5],
  ['[伤心]', -1.5],
  ['[悲伤]', -1.5],
  ['[泪]', -1],
  ['[委屈]', -1],
  ['[可怜]', -0.8],
  ['[哼]', -1],
  ['[生病]', -0.8],
  ['[黑线]', -0.8],
  ['[汗]', -0.6],
  ['[晕]', -0.8],
  ['[弱]', -1],
  ['[拜拜]', -0.5],
  ['[疑问]', -0.3],
  ['[白眼]', -1.2],
  ['[怒气]', -2],
  ['[裂开]', -1],
  ['[允悲]', -0.6],
  ['[哈哈]', 1],
  ['[嘻嘻]', 1],
  ['[爱你]', 1.5],
  ['[心]', 1.2],
  ['[赞]', 1.5],
  ['[good]', 1.5],
  ['[鼓掌]', 1.2],
  ['[威武]', 1.2],
  ['[给力]', 1.5],
  ['[偷笑]', 0.6],
  ['[耶]', 1],
  ['[太开心]', 1.5],
  ['[害羞]', 0.5],
  ['[笑cry]', 0.5],
  ['[花心]', 1],
  ['[ok]', 0.8],
  ['[微笑]', 0.1],
  ['[赞啊]', 1.5],
  ['[送花花]', 1.2],
  ['[抱抱]', 0.8],
  ['[亲亲]', 1],
  ['[酷]', 0.8],
  ['😡', -2],
  ['😠', -2],
  ['🤬', -2],
  ['👎', -1.5],
  ['😞', -1.2],
  ['😢', -1],
  ['😭', -1],
  ['💔', -1.2],
  ['🙄', -1],
  ['😤', -1.2],
  ['👍', 1.5],
  ['❤️', 1.2],
  ['❤', 1.2],
  ['😊', 1.2],
  ['😄', 1.2],
  ['😍', 1.5],
  ['🥰', 1.5],
  ['👏', 1.2],
  ['🎉', 1],
  ['😂', 0.3],
]);

const NEGATION_WINDOW = 3;

/**
 * Rule score over segmented words: each opinion word counts its polarity, scaled by a preceding
 * degree adverb and flipped once per negator in the few words before it (so 没有不满意 is positive,
 * 不是很好 negative but milder than 很差). Punctuation closes a negation's scope.
 */
export function lexiconScore(words: readonly string[]): { score: number; hits: number } {
  let score = 0;
  let hits = 0;
  let negations = 0;
  let sinceNegation = Infinity;
  let degree = 1;
  for (const w of words) {
    if (NEGATORS.has(w)) {
      negations = sinceNegation <= NEGATION_WINDOW ? negations + 1 : 1;
      sinceNegation = 0;
      if (w === '不太' || w === '不怎么' || w === '不够') degree = 0.7;
      continue;
    }
    const d = DEGREE.get(w);
    const polarity = LEXICON.get(w);
    if (polarity === undefined && d !== undefined) {
      degree *= d;
      sinceNegation++;
      continue;
    }
    if (polarity !== undefined) {
      let s = polarity * degree;
      // A negated opinion flips and weakens: 不是很好 is "not good", not "very bad".
      if (sinceNegation <= NEGATION_WINDOW && negations % 2 === 1) s = -s * 0.8;
      score += s;
      hits++;
      degree = 1;
      negations = 0;
      sinceNegation = Infinity;
      continue;
    }
    if (isPunctuation(w)) {
      negations = 0;
      sinceNegation = Infinity;
      degree = 1;
      continue;
    }
    sinceNegation++;
    if (sinceNegation > NEGATION_WINDOW) negations = 0;
  }
  return { score, hits };
}

export function emoticonScore(text: string): number {
  let s = 0;
  if (text.indexOf('[') >= 0) {
    for (const m of text.matchAll(/\[[^[\]\s]{1,6}\]/g)) s += EMOTICONS.get(m[0]) ?? 0;
  }
  // Emoji are at U+2600 and above (symbols) or astral (surrogate pairs): most texts have neither,
  // and a code-unit scan finds them without iterating code points.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x2600 || (c >= 0x3000 && c < 0xd800) || c >= 0xe000) continue;
    const ch = c >= 0xd800 && c < 0xdc00 ? text.slice(i, i + 2) : text[i];
    const w = EMOTICONS.get(ch);
    if (w) s += w;
    if (ch.length === 2) i++;
  }
  return s;
}

// Litotes: "没有不满意", "不是不好", "并非不喜欢" affirm the opinion. A bag of n-grams sees only 不满意,
// so the two negations are cancelled in the text before it is segmented.
const DOUBLE_NEGATION = /(?:没有|不是|并非|并不是|绝非|没)(?:什么|任何)?(?:不|没)(?=[\u4e00-\u9fff])/g;

export function resolveDoubleNegation(text: string): string {
  return text.indexOf('不') < 0 && text.indexOf('没') < 0 ? text : text.replace(DOUBLE_NEGATION, '');
}
