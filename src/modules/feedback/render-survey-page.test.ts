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

  it('names both ends of the CSAT scale, in English and Chinese, without the CES hint', () => {
    const CSAT = {
      ...CES,
      questions: [{ key: 'csat', type: 'csat', required: true, text: { en: 'How satisfied are you?', 'zh-CN': '您满意吗？' } }],
    } as SurveyDefinition;
    const en = renderSurveyPage(CSAT, 'en', { postUrl: '/s/x' });
    expect(en).toContain('<span>1 = Very dissatisfied</span><span>5 = Very satisfied</span>');
    expect(en).not.toContain('Lower is better');
    expect(renderSurveyPage(CSAT, 'zh-CN', { postUrl: '/s/x' })).toContain('<span>1 = 非常不满意</span><span>5 = 非常满意</span>');
  });
});
