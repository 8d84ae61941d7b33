import { describe, it, expect } from 'vitest';
import { compileWatchList, type WatchTerm } from './watch-list.js';
import { simhash, hammingDistance, NEAR_DUPLICATE_BITS } from './simhash.js';
import { assessHour, binomialUpperTail, DEFAULT_THRESHOLDS, type HourCount } from './crisis-stats.js';
import { analyzeMention } from './analyze-mention.js';

const terms: WatchTerm[] = [
  { id: 'w1', angle: 'company', term: '华为', aliases: ['Huawei', '菊厂'] },
  { id: 'w2', angle: 'product', term: 'Mate60', aliases: ['mate 60'] },
  { id: 'w3', angle: 'competitor', term: '小米', aliases: [] },
  { id: 'w4', angle: 'product', term: '小米汽车', aliases: ['su7'] },
  { id: 'w5', angle: 'weakness', term: '信号差', aliases: [] },
  { id: 'w6', angle: 'executive', term: '余承东', aliases: ['余大嘴'] },
];

describe('watch-list matching', () => {
  const w = compileWatchList(terms);
  const angles = (text: string) =>
    w
      .match(text)
      .map((h) => h.term)
      .sort();

  it('finds terms in Chinese text without spaces, through aliases and traditional script', () => {
    expect(angles('昨天买的华为手机信号差得要命')).toEqual(['信号差', '华为']);
    expect(angles('菊厂这次的发布会余大嘴又吹牛了')).toEqual(['余承东', '华为']);
    expect(angles('華為的客服態度不錯')).toEqual(['华为']);
  });
  it('does not match across word boundaries', () => {
    expect(angles('中华为人民服务')).toEqual([]);
  });
  it('lets the longer term claim its text first', () => {
    expect(angles('小米汽车SU7的订单排到明年')).toEqual(['小米汽车']);
    expect(angles('小米手机降价了')).toEqual(['小米']);
  });
  it('matches Latin terms as whole words, case-insensitively', () => {
    expect(angles('Huawei launched the MATE 60 today')).toEqual(['Mate60', '华为']);
    expect(angles('mate600 and huaweix are not ours')).toEqual([]);
  });
  it('marks a mention about the company apart from one only about a competitor', () => {
    expect(analyzeMention('小米手机降价了', w).aboutCompany).toBe(false);
    const a = analyzeMention('华为的售后太差了，退款拖了一个月', w);
    expect(a.aboutCompany).toBe(true);
    expect(a.sentiment.label).toBe('negative');
    expect(a.topics.map((t) => t.topic)).toContain('refund');
  });
});

describe('near-duplicate detection', () => {
  it('puts a repost within a few bits and a different post far away', () => {
    const a = simhash('华为Mate60的信号真的太差了，在地铁里完全没有网络，客服也不管，太失望了');
    const repost = simhash('转发：华为Mate60的信号真的太差了，在地铁里完全没有网络，客服也不管，太失望了！！ https://t.cn/abc');
    const other = simhash('今天去了新开的咖啡店，环境很好，拿铁味道也不错，推荐大家去试试');
    expect(hammingDistance(a, repost)).toBeLessThanOrEqual(NEAR_DUPLICATE_BITS);
    expect(hammingDistance(a, other)).toBeGreaterThan(10);
  });
});

describe('crisis statistics', () => {
  // Five weeks of hourly history with a daily cycle and a weekly peak on Mondays 9-11.
  function series(weeks: number, rate: (hourOfWeek: number) => number, negShare = 0.2): HourCount[] {
    const out: HourCount[] = [];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let h = 0; h < weeks * 168; h++) {
      const mean = rate(h % 168);
      const total = Math.max(0, Math.round(mean + (rand() - 0.5) * 2 * Math.sqrt(mean)));
      out.push({ total, negative: Math.round(total * negShare) });
    }
    return out;
  }
  const rate = (how: number) => {
    const hod = how % 24;
    const base = hod >= 8 && hod <= 22 ? 30 : 8;
    return how >= 9 && how <= 11 ? base * 5 : base;
  };

  it('fires on a planted spike with a jump in negative share', () => {
    const history = series(5, rate);
    const v = assessHour(history, { total: 180, negative: 120 });
    expect(v.isCrisis).toBe(true);
    expect(v.volumeZ).toBeGreaterThan(4);
    expect(v.pValue).toBeLessThan(0.001);
  });
  it('does not fire on the weekly peak it has seen every week', () => {
    const history = series(5, rate);
    // Position of the next hour: 5 * 168 is Monday 00:00 of week 6; the peak hour is 10.
    const peakHistory = [...history, ...series(1, rate).slice(0, 10)];
    const v = assessHour(peakHistory, { total: 150, negative: 32 });
    expect(v.isCrisis).toBe(false);
    expect(v.volumeZ).toBeLessThan(4);
  });
  it('needs both: a volume spike of ordinary tone, or a negative hour of ordinary volume, do not fire', () => {
    const history = series(5, rate);
    expect(assessHour(history, { total: 200, negative: 40 }).isCrisis).toBe(false);
    // The next hour is Monday 00:00, when about 8 mentions an hour are normal.
    const negativeOnly = assessHour(history, { total: 10, negative: 9 }, { ...DEFAULT_THRESHOLDS, minVolume: 5 });
    expect(negativeOnly.pValue).toBeLessThan(0.001);
    expect(negativeOnly.isCrisis).toBe(false);
  });
  it('stays quiet below the minimum volume however anomalous', () => {
    const quiet = series(5, () => 0.2, 0);
    const v = assessHour(quiet, { total: 12, negative: 12 });
    expect(v.volumeZ).toBeGreaterThan(4);
    expect(v.isCrisis).toBe(false);
    expect(v.reasons[0]).toMatch(/below the minimum/);
  });
  it('computes binomial tails exactly', () => {
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(10, 10, 0.5)).toBeCloseTo(1 / 1024, 10);
    expect(binomialUpperTail(6, 10, 0.5)).toBeCloseTo(386 / 1024, 10);
  });
});
