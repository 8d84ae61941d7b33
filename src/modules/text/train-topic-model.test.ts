import { describe, expect, it } from 'vitest';
import { trainTopicModel } from './train-topic-model.js';
import { analyzeText } from './analyze-text.js';

const topicsOf = (text: string, model?: ReturnType<typeof trainTopicModel>) => analyzeText(text, { topicModel: model }).topics.map((t) => t.topic);

describe('topic model trained on corrections', () => {
  it('adds a corrected topic to a similar unseen text once a few corrections say so, and not to unrelated texts', () => {
    const corrections = Array.from({ length: 5 }, () => ({ text: '说好的回电一直没有回', topic: 'callback', label: true }));
    expect(topicsOf('说好的回电话到现在也没有回')).not.toContain('callback');
    const model = trainTopicModel(corrections);
    expect(Object.keys(model.topics)).toEqual(['callback']);
    expect(topicsOf('说好的回电话到现在也没有回', model)).toContain('callback');
    expect(topicsOf('说好给我回电的，一直没有消息', model)).toContain('callback');
    for (const text of ['菜很好吃', '快递三天才到', '客服态度很差']) expect(topicsOf(text, model)).not.toContain('callback');
  });

  it('lets the latest correction of the exact text win over the keywords and over an earlier correction', () => {
    const model = trainTopicModel([
      { text: '前台小姐姐很热情', topic: 'service_attitude', label: true },
      { text: '前台小姐姐很热情', topic: 'service_attitude', label: false },
      { text: '前台小姐姐很热情', topic: 'staff', label: false },
    ]);
    expect(topicsOf('前台小姐姐很热情')).toEqual(expect.arrayContaining(['service_attitude', 'staff']));
    expect(topicsOf('前台小姐姐很热情', model)).toEqual([]);
    // Traditional script and spacing are folded before the lookup.
    expect(topicsOf(' 前臺小姐姐很熱情 ', model)).toEqual([]);
  });

  it("gives a topic the model adds the text's own opinion", () => {
    const model = trainTopicModel(Array.from({ length: 3 }, () => ({ text: 'nobody ever called me back', topic: 'callback', label: true })));
    const a = analyzeText('Nobody called me back, terrible', { topicModel: model });
    expect(a.topics.find((t) => t.topic === 'callback')).toMatchObject({ terms: [], sentiment: 'negative' });
    expect(a.aspects.callback).toBe('negative');
  });
});
