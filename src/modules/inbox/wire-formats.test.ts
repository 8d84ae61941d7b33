// Providers' wire formats read as the providers write them: RFC 2047 encoded words in a SendGrid
// "from", WeChat text split over two CDATA sections, and a WeChat channel without its app secret.
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { decodeEncodedWords } from './webhook-routes.js';
import { buildWechatXml, parseWechatXml } from './wechat-crypto.js';
import { createWechatAdapter } from './channels/wechat.js';
import { createEgress } from '../../platform/egress.js';
import { ProviderError } from './channels/adapter.js';
import type { Channel } from './manage-channels.js';

describe('provider wire formats', () => {
  it('decodes RFC 2047 encoded words in a SendGrid from, adjacent words joined', () => {
    const gb = iconv.encode('张伟', 'gb2312').toString('base64');
    expect(decodeEncodedWords(`=?GB2312?B?${gb}?= <zhang.wei@example.cn>`)).toBe('张伟 <zhang.wei@example.cn>');
    expect(decodeEncodedWords('=?UTF-8?Q?Fran=C3=A7ois_Dupont?= <f@example.fr>')).toBe('François Dupont <f@example.fr>');
    expect(decodeEncodedWords('=?UTF-8?B?5byg?= =?UTF-8?B?5Lyf?= <z@example.cn>')).toBe('张伟 <z@example.cn>');
    expect(decodeEncodedWords('Plain Name <p@example.com>')).toBe('Plain Name <p@example.com>');
  });

  it('reads WeChat text split over two CDATA sections as one text', () => {
    const xml = buildWechatXml({ ToUserName: 'gh_1', FromUserName: 'oUSER', MsgType: 'text', Content: 'a]]>b 代码', MsgId: '1' });
    expect(xml).toContain(']]]]><![CDATA[>');
    expect(parseWechatXml(xml)).toMatchObject({ Content: 'a]]>b 代码', FromUserName: 'oUSER', MsgType: 'text' });
    expect(parseWechatXml('<xml><Content>x &amp; <![CDATA[<y>]]></Content></xml>').Content).toBe('x & <y>');
  });

  it('refuses to send on a WeChat channel without its app secret, as a configuration error and before any request', async () => {
    const channel = {
      id: 'chn_1',
      tenantId: 't_1',
      kind: 'wechat',
      name: 'WeChat',
      settings: { app_id: 'wx1', api_base: 'http://127.0.0.1:1' },
      secrets: { token: 'x' },
      isEnabled: true,
    } as unknown as Channel;
    const err = await createWechatAdapter(createEgress('127.0.0.0/8'))
      .send(channel, { messageId: 'm1', conversationId: 'c1', to: 'oUSER', text: 'hi', replyToken: 'r' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ isPermanent: true, message: expect.stringMatching(/^configuration: this WeChat channel has no app_secret/) });
  });
});
