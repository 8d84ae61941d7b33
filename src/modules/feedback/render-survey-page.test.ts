import { describe, expect, it } from 'vitest';
import { renderSurveyPage } from './render-survey-page.js';
import type { SurveyDefinition } from './survey-definition.js';

const CES: SurveyDefinition = {
  title: { en: 'Your visit', 'zh-CN': '您的到访' },
  questions: [{ key: 'ces', type: 'ces', required: true, text: { en: 'How easy was it to get your issue resolved?', 'zh-CN': '解决您的问题有多容易？' } }],
} as SurveyDefinition;

describe('the hosted survey page', () => {
  it('names both ends of the CES scale and says the low end is the good one, in English and Chinese', () => {
    const en = renderSurveyPage(CES, 'en', { postUrl: '/s/x' });
    expect(en).toContain('<span>1 = Very easy</span><span>7 = Very difficult</span>');
    expect(en).toContain('Lower is better');
    const zh = renderSurveyPage(CES, 'zh-CN', { postUrl: '/s/x' });
    expect(zh).toContain('<span>1 = 非常容易</span><span>7 = 非常困难</span>');
    expect(zh).toContain('分数越低越好');
    // The scale itself still runs 1 to 7, low end first.
    expect([...en.matchAll(/name="ces" value="(\d)"/g)].map((m) => Number(m[1]))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
