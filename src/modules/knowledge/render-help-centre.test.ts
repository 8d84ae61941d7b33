// The console's article preview is the help centre's page: the blocks the editor draws, written out
// as HTML the way the help centre writes them, are the help centre's own HTML for the same body.
import { describe, expect, it } from 'vitest';
import { blocksOf, type Block } from '../../../web/console/pages/knowledge/article-blocks.js';
import { renderBody } from './render-help-centre.js';
import { escapeHtml } from './highlight-text.js';

const html = (blocks: Block[]) =>
  blocks
    .map((b) => {
      if (b.kind === 'heading') return `<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`;
      if (b.kind === 'list') return `<ul>${b.items.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>`;
      return `<p>${b.lines.map(escapeHtml).join('<br>')}</p>`;
    })
    .join('\n');

const BODIES = [
  '# 退款条件\n\n签收后十四天内可以申请退款。\n\n- 保留发票\n- 商品完好',
  'One line\nand the next\r\n\r\n## Steps\n\n* first\n* second\n\n### Not a heading\nwith a second line',
  '- a list item\nthen plain text makes a paragraph',
  '<script>alert(1)</script>\n\n# <b>bold?</b>',
  '\n\n\n   \n\n',
  '#no space is text\n\n####four hashes is text',
];

describe('article preview in the console', () => {
  it('cuts every body into the blocks the help centre renders', () => {
    for (const body of BODIES) expect(html(blocksOf(body)), JSON.stringify(body)).toBe(renderBody(body));
  });

  it('keeps markup in an article as text', () => {
    expect(blocksOf('<script>alert(1)</script>')).toEqual([{ kind: 'paragraph', lines: ['<script>alert(1)</script>'] }]);
    expect(blocksOf('# <b>x</b>')).toEqual([{ kind: 'heading', level: 2, text: '<b>x</b>' }]);
  });
});
