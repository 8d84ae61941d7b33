// A tenant's words in Chinese segmentation: the base segmenter with the words laid over it must cut as
// jieba does with the words loaded into a dictionary of its own (the reference, built here only).
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { segmentText } from './segment-text.js';

const require = createRequire(import.meta.url);
const { Jieba } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };

function reference(words: string[]) {
  const j = Jieba.withDict(dict);
  j.loadDict(Buffer.from(`${words.map((w) => `${w} 1000 nz`).join('\n')}\n`));
  return (text: string) => j.cut(text, true).filter((w) => w.trim() !== '');
}

const WORDS = ['小蓝杯', '瑞幸', '生椰拿铁', '华为', '携程', '东航', '飞猪', '积分', '顺丰'];
const TEXTS = [
  '早上买了一杯小蓝杯，瑞幸的生椰拿铁还是那么好喝',
  '中华为人民服务的精神永远不过时',
  '华为手机的售后服务很到位',
  '这种酒店最好不要在携程网上出现了！',
  '东航的积分兑换太难了，客服电话一直打不通',
  '在飞猪上订的机票，顺丰寄来的行程单',
  '瑞幸生椰拿铁买一送一，小蓝杯yyds',
  '没有人告诉我积分会过期',
];

describe('segmentation with a tenant’s words', () => {
  it('cuts as jieba does with the words in its dictionary', () => {
    const cut = reference(WORDS);
    for (const text of TEXTS) expect(segmentText(text, WORDS), text).toEqual(cut(text));
  });

  it('keeps a brand whole, never across a real word boundary, and leaves texts without the words as the base cuts them', () => {
    expect(segmentText('早上买了一杯小蓝杯', ['小蓝杯'])).toContain('小蓝杯');
    expect(segmentText('中华为人民服务', ['华为'])).not.toContain('华为');
    const plain = '物流很快，包装也很好';
    expect(segmentText(plain, WORDS)).toEqual(segmentText(plain));
  });

  it('gives each set of words its own cut', () => {
    const text = '瑞幸生椰拿铁';
    expect(segmentText(text, ['瑞幸', '生椰拿铁'])).toEqual(reference(['瑞幸', '生椰拿铁'])(text));
    expect(segmentText(text, ['生椰'])).toEqual(reference(['生椰'])(text));
  });
});
