import { describe, it, expect } from 'vitest';
import { analyzeSentiment, analyzeText } from './index.js';
import { splitContrastEn, splitContrastZh } from './split-clauses.js';

describe('three-class sentiment', () => {
  const neutral = [
    '请问积分账单每个月几号发？',
    '我想修改一下我的手机号码，应该在哪里操作？',
    '携程发布南京美食排行榜 第1名是洲际',
    '麻烦帮我查一下退款进度，订单号是2031',
    '【公告】系统将于今晚23:00至次日2:00进行升级维护',
    '請問可以用信用卡付款嗎？',
    'When will my points statement be sent each month?',
    'Please send the invoice to my work email.',
    'The company announced a new store in Manchester opening in May.',
  ];
  it.each(neutral)('a question, request or announcement without evaluation is neutral: %s', (text) => {
    const s = analyzeSentiment(text);
    expect(s.label).toBe('neutral');
    expect(s.probabilities.neutral).toBeGreaterThan(0.5);
  });

  const opinionated: [string, 'negative' | 'positive'][] = [
    ['为什么我的积分无缘无故被清零了？', 'negative'],
    ['到底什么时候才能给我退款？都一个月了', 'negative'],
    ['客服很耐心，问题很快就解决了', 'positive'],
    ['Why do you keep charging me after I cancelled?', 'negative'],
    ['The app keeps crashing every time I try to log in.', 'negative'],
  ];
  it.each(opinionated)('a complaint phrased as a question, or an evaluation, keeps its polarity: %s', (text, label) => {
    expect(analyzeSentiment(text).label).toBe(label);
  });

  it('gives three probabilities that sum to one and a score between them', () => {
    for (const text of ['请问积分账单每个月几号发？', '客服态度很差', 'Great service']) {
      const s = analyzeSentiment(text);
      const { negative, neutral: n, positive } = s.probabilities;
      expect(negative + n + positive).toBeCloseTo(1, 10);
      expect(s.score).toBeCloseTo(positive - negative, 10);
      expect(s.probabilities[s.label]).toBe(Math.max(negative, n, positive));
    }
  });
});

describe('clauses of a turning text', () => {
  it('weighs the clause after a contrast over the one before, and a concession under both', () => {
    expect(analyzeSentiment('物流慢但是客服很耐心').label).toBe('positive');
    expect(analyzeSentiment('虽然价格有点贵，但是质量确实好').label).toBe('positive');
    expect(analyzeSentiment('价格便宜，不过质量一般').label).toBe('negative');
    expect(analyzeSentiment('Although the price was high, the quality is excellent.').label).toBe('positive');
    expect(analyzeSentiment('The staff were friendly, but the room was dirty.').label).toBe('negative');
  });
  it('splits Chinese at contrast words and English at but/although/though', () => {
    expect(splitContrastZh(['虽然', '等', '了', '很', '久', ',', '但是', '服务员', '态度', '很', '好']).map((p) => [p.part.join(''), p.weight])).toEqual([
      ['等了很久,', 0.5],
      ['服务员态度很好', 2],
    ]);
    expect(splitContrastZh(['环境', '不错', ',', '服务员', '却', '很', '冷漠']).map((p) => p.weight)).toEqual([1, 2]);
    expect(splitContrastEn('Although the price was high, the quality is excellent.').map((p) => [p.part.trim(), p.weight])).toEqual([
      ['the price was high', 0.5],
      ['the quality is excellent.', 2],
    ]);
    expect(splitContrastEn('Shipping was fast, though the packaging was a bit flimsy.').map((p) => p.weight)).toEqual([1.5, 0.5]);
    expect(splitContrastEn('The meeting is at 3pm')).toEqual([{ part: 'The meeting is at 3pm', weight: 1 }]);
  });
});

describe('aspects', () => {
  it('gives each topic the polarity of its own clause', () => {
    const a = analyzeText('物流慢但是客服很耐心');
    expect(a.aspects.delivery).toBe('negative');
    expect(a.aspects.service_attitude).toBe('positive');
    expect(a.sentiment.label).toBe('positive');
    const b = analyzeText('Shipping was slow but the customer service agent was very patient');
    expect(b.aspects.delivery).toBe('negative');
    expect(b.aspects.service_attitude).toBe('positive');
  });
  it('names a topic in a question without giving it an opinion', () => {
    const a = analyzeText('请问积分账单每个月几号发？');
    expect(a.sentiment.label).toBe('neutral');
    expect(a.aspects).toEqual({ billing: 'neutral' });
  });
  it('finds the topics of the issue by synonym: waiting in minutes, a ticket refund, a promised call back', () => {
    expect(analyzeText('等了二十多分钟都没人理').aspects.waiting_time).toBe('negative');
    expect(analyzeText('退票却要收手续费，太坑了').aspects).toMatchObject({ refund: 'negative', price: 'negative' });
    expect(analyzeText('说好的回电一直没有回').aspects.service_attitude).toBe('negative');
  });
  it('lets a plain aspect clause take the opinion of a text that does not turn, but not of one that does', () => {
    expect(analyzeText('发票开错了三次，太折腾了').aspects.billing).toBe('negative');
    expect(analyzeText('虽然价格有点贵，但是质量确实好').aspects).toMatchObject({ price: 'negative', product_quality: 'positive' });
  });
});
