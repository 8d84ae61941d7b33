import { describe, expect, it } from 'vitest';
import { readerLanguageOf, renderActivity } from './case-activity.js';

describe('case activity in the reader language', () => {
  it('reads Traditional-script regions and scripts as zh-TW, other Chinese as zh-CN, the rest as English', () => {
    expect(['zh-TW', 'zh-HK', 'zh-mo', 'zh-Hant', 'zh-Hant-TW', 'zh-CN', 'zh', 'zh-Hans-CN', 'en-GB', 'fr', null].map(readerLanguageOf)).toEqual([
      'zh-TW',
      'zh-TW',
      'zh-TW',
      'zh-TW',
      'zh-TW',
      'zh-CN',
      'zh-CN',
      'zh-CN',
      'en',
      'en',
      'en',
    ]);
  });

  it("renders codes per language, legacy English rows as written or by their known words, and a person's words untouched", () => {
    const escalation = JSON.stringify({ code: 'first_contact_overdue' });
    expect(renderActivity('escalation', escalation, 'zh-CN').body).toBe('首次联系已超时');
    expect(renderActivity('escalation', escalation, 'en').body).toBe('first contact overdue');
    expect(renderActivity('escalation', 'resolution overdue', 'zh-TW')).toEqual({ body: '解決已逾時', params: { code: 'resolution_overdue' } });
    expect(renderActivity('status', 'resolved: old English row', 'zh-CN')).toEqual({ body: 'resolved: old English row', params: null });
    expect(renderActivity('note', '{"code":"opened"}', 'zh-CN')).toEqual({ body: '{"code":"opened"}', params: null });
    expect(renderActivity('notice', JSON.stringify({ code: 'notice', status: 'failed', subject: 'Hi', error: 'mailbox full' }), 'zh-CN').body).toBe(
      '发送失败: Hi (mailbox full)',
    );
    expect(renderActivity('assignment', JSON.stringify({ team: 'it', owner_id: null }), 'en').body).toBe('assigned (team: it, owner: none)');
    expect(renderActivity('topics', JSON.stringify({ add: ['price'], remove: ['staff', 'app'] }), 'zh-TW').body).toBe('新增主題：price；移除主題：staff、app');
    expect(renderActivity('note', null, 'en')).toEqual({ body: null, params: null });
  });
});
