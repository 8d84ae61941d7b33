import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, matchRule, routeCase, priorityFor, slaDue } from './case-rules.js';

describe('case rules', () => {
  it('opens a detractor case for NPS 0-6 and never for 7', () => {
    expect(matchRule(DEFAULT_RULES, 'response', { kind: 'nps', score: 6 })?.case_type).toBe('detractor');
    expect(matchRule(DEFAULT_RULES, 'response', { kind: 'nps', score: 0 })?.case_type).toBe('detractor');
    expect(matchRule(DEFAULT_RULES, 'response', { kind: 'nps', score: 7 })).toBeUndefined();
    expect(matchRule(DEFAULT_RULES, 'response', { kind: 'nps', score: null })).toBeUndefined();
  });
  it('opens a low-CSAT case for 1-2 only, and an abandonment case for any abandonment answer', () => {
    expect(matchRule(DEFAULT_RULES, 'response', { kind: 'csat', score: 2 })?.case_type).toBe('low_csat');
    expect(matchRule(DEFAULT_RULES, 'response', { kind: 'csat', score: 3 })).toBeUndefined();
    expect(matchRule(DEFAULT_RULES, 'response', { kind: 'custom', score: null, trigger: 'abandonment' })?.case_type).toBe('abandonment');
  });
  it('opens mention cases only for negative mentions about the company', () => {
    expect(matchRule(DEFAULT_RULES, 'mention', { sentiment: 'negative', aboutCompany: true })?.case_type).toBe('negative_mention');
    expect(matchRule(DEFAULT_RULES, 'mention', { sentiment: 'negative', aboutCompany: false })).toBeUndefined();
    expect(matchRule(DEFAULT_RULES, 'mention', { sentiment: 'neutral', aboutCompany: true })).toBeUndefined();
  });
  it('routes by position on keywords, topics, touchpoints and case types', () => {
    const rules = [
      { id: 'r2', position: 20, match: { keywords: ['cannot find', '找不到'] }, team: 'service' },
      { id: 'r1', position: 10, match: { keywords: ['timeout', 'app', '超时'] }, team: 'it' },
      { id: 'r3', position: 30, match: { topics: ['price'] }, team: 'product' },
      { id: 'r4', position: 40, match: { case_types: ['negative_mention'] }, team: 'pr' },
    ];
    expect(routeCase(rules, { type: 'detractor', topics: [], text: 'The APP keeps hitting a Timeout' })?.team).toBe('it');
    expect(routeCase(rules, { type: 'detractor', topics: [], text: '我找不到答案' })?.team).toBe('service');
    expect(routeCase(rules, { type: 'low_csat', topics: ['Price'], text: 'too dear' })?.team).toBe('product');
    expect(routeCase(rules, { type: 'negative_mention', topics: [], text: 'meh' })?.team).toBe('pr');
    expect(routeCase(rules, { type: 'detractor', topics: [], text: 'meh' })).toBeUndefined();
  });
  it('gives core customers high priority and the SLA of their priority', () => {
    expect(priorityFor({ is_core: true, clv: 10 }, {})).toBe('high');
    expect(priorityFor({ is_core: false, clv: 5000 }, { highValueClv: 5000 })).toBe('high');
    expect(priorityFor({ is_core: false, clv: 4999 }, { highValueClv: 5000 })).toBe('normal');
    const at = new Date('2026-01-01T00:00:00Z');
    expect(slaDue('high', at)).toEqual({ firstContactDueAt: new Date('2026-01-01T04:00:00Z'), resolveDueAt: new Date('2026-01-03T00:00:00Z') });
    expect(slaDue('normal', at, { normal: { first_contact_minutes: 30 } }).firstContactDueAt).toEqual(new Date('2026-01-01T00:30:00Z'));
  });
});
