// Pure pieces of search: word cutting, snippets, language choice, script trees, similar queries.
import { describe, expect, it } from 'vitest';
import { segmentText, stemWord } from './segment-text.js';
import { bodyText, highlightSnippet, markTerms } from './highlight-text.js';
import { pickLanguage } from './pick-language.js';
import { validateScript } from './manage-scripts.js';
import { isSimilarKey, editDistance } from './list-content-gaps.js';
import { toTsQuery } from './search-articles.js';
import { renderBody } from './render-help-centre.js';

describe('segmentText', () => {
  it('cuts unspaced Chinese into words and drops stop words', () => {
    expect(segmentText('我想申请退款')).toEqual(['申请', '退款']);
    expect(segmentText('信用卡被扣了两次')).toEqual(['信用卡', '被扣', '两次']);
  });
  it('gives the shorter words inside long ones when indexing', () => {
    expect(segmentText('信用卡', 'index')).toEqual(expect.arrayContaining(['信用', '信用卡']));
  });
  it('lower-cases and stems Latin words and never lets tsquery operators through', () => {
    expect(segmentText("How do I get REFUNDS? (a & b | !c) <-> 'x'")).toEqual(['refund']);
    expect(segmentText('iPhone15 手机')).toEqual(['iphone15', '手机']);
    expect(stemWord('policies')).toBe('policy');
    expect(stemWord('address')).toBe('address');
  });
});

describe('snippets', () => {
  it("reads an article's body without its Markdown marks", () => {
    const body = '# Pets\nSmall dogs travel in the cabin.\n\n- Health certificate required\n* A crate\n\n## 宠物\n- 需要检疫证明';
    expect(bodyText(body)).toBe('Pets\nSmall dogs travel in the cabin.\n\nHealth certificate required\nA crate\n\n宠物\n需要检疫证明');
    expect(highlightSnippet(bodyText(body), ['pets'], 80)).toMatch(/^<mark>Pets<\/mark> Small dogs/);
  });

  it('marks Chinese words as substrings and Latin words with their longer forms, escaping the rest', () => {
    expect(markTerms('如何申请退款<b>', ['退款'])).toBe('如何申请<mark>退款</mark>&lt;b&gt;');
    expect(markTerms('Refunds are refunded', ['refund'])).toBe('<mark>Refunds</mark> are <mark>refunded</mark>');
    expect(markTerms('prefund', ['refund'])).toBe('prefund');
  });
  it('centres the snippet on the first searched word', () => {
    const text = `${'前言'.repeat(100)}退款说明${'后记'.repeat(100)}`;
    const s = highlightSnippet(text, ['退款'], 60);
    expect(s.startsWith('…')).toBe(true);
    expect(s).toContain('<mark>退款</mark>');
  });
});

describe('pickLanguage', () => {
  it('prefers ?lang, then Accept-Language by quality, then the default', () => {
    expect(pickLanguage('en', 'zh-CN', 'zh-CN')).toBe('en');
    expect(pickLanguage(undefined, 'fr;q=1, zh-TW;q=0.8, en;q=0.9', 'zh-CN')).toBe('en');
    expect(pickLanguage(undefined, 'zh-HK,zh;q=0.9', 'en')).toBe('zh-TW');
    expect(pickLanguage(undefined, 'zh', 'en')).toBe('zh-CN');
    expect(pickLanguage('xx', 'de', 'zh-CN')).toBe('zh-CN');
  });
});

describe('validateScript', () => {
  const node = (id: string, next: string[] = []) => ({
    id,
    kind: 'question' as const,
    text: id,
    options: next.map((n) => ({ id: `to-${n}`, label: n, next: n })),
  });
  it('accepts a tree and refuses cycles, dangling options and a missing root', () => {
    expect(validateScript({ root_node: 'a', nodes: [node('a', ['b', 'c']), node('b'), node('c')] })).toEqual([]);
    expect(validateScript({ root_node: 'a', nodes: [node('a', ['b']), node('b', ['a'])] })[0].field).toBe('nodes');
    expect(validateScript({ root_node: 'a', nodes: [node('a', ['z'])] })[0].field).toBe('nodes[0].options[0].next');
    expect(validateScript({ root_node: 'q', nodes: [node('a')] })[0].field).toBe('root_node');
  });
});

describe('similar queries', () => {
  it('groups queries sharing half their words, forgiving a typo', () => {
    expect(isSimilarKey(['宠物', '托运'], ['宠物'])).toBe(true);
    expect(isSimilarKey(['warranty', 'claim'], ['warrenty', 'claim'])).toBe(true);
    expect(isSimilarKey(['refund'], ['password'])).toBe(false);
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
  });
});

it('builds tsquery text with synonyms as alternatives and phrases', () => {
  expect(
    toTsQuery(
      [
        { alternatives: [['退款'], ['退钱']], canonical: '退款' },
        { alternatives: [['credit', 'card']], canonical: 'credit_card' },
      ],
      'all',
    ),
  ).toBe('(退款 | 退钱) & ((credit <-> card))');
});

it('renders article bodies as escaped paragraphs, headings and lists', () => {
  expect(renderBody('# Steps\n\n- one\n- <two>\n\nline<script>\nnext')).toBe(
    '<h2>Steps</h2>\n<ul><li>one</li><li>&lt;two&gt;</li></ul>\n<p>line&lt;script&gt;<br>next</p>',
  );
});
