// The knowledge base through HTTP on both databases: search relevance in Chinese and English on a
// hand-judged fixture, content gaps, suggestions, script paths, the help centre in two languages,
// and drafts or internal articles never reaching visitors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { databases, startTestApp, createTestTenant, type TestTenant } from '../../../test/helpers.js';
import type { Rapport } from '../../app.js';

// A small help centre; the expected top results below were judged by hand.
const FIXTURE = [
  {
    key: 'refund',
    language: 'zh-CN',
    title: '如何申请退款',
    body: '订单签收后七天内可以在“我的订单”中申请退款。退款审核通过后，款项会在三到五个工作日内原路退回到您的支付账户。',
  },
  {
    key: 'card',
    language: 'zh-CN',
    title: '信用卡被重复扣款怎么办',
    body: '如果您的信用卡被扣了两次，通常是银行的预授权，会在七个工作日内自动撤销。若超过期限仍未退回，请联系客服。',
  },
  { key: 'password', language: 'zh-CN', title: '忘记登录密码', body: '在登录页面点击“忘记密码”，输入注册手机号，我们会发送验证码帮助您重置密码。' },
  { key: 'baggage', language: 'zh-CN', title: '托运行李额度说明', body: '经济舱旅客可免费托运一件二十三公斤的行李，超出部分按逾重行李收费。' },
  {
    key: 'refund_en',
    language: 'en',
    title: 'How to request a refund',
    body: 'You can request a refund within seven days of delivery from My Orders. Approved refunds reach your original payment method in three to five business days.',
  },
  {
    key: 'password_en',
    language: 'en',
    title: 'Reset a forgotten password',
    body: 'On the sign-in page choose Forgot password and enter your phone number; we send a verification code so you can reset your password.',
  },
  {
    key: 'baggage_en',
    language: 'en',
    title: 'Checked baggage allowance',
    body: 'Economy passengers may check one bag of 23 kg free of charge. Excess baggage is charged per kilogram.',
  },
  {
    key: 'upgrade_en',
    language: 'en',
    title: 'Upgrade your seat with points',
    body: 'Members can use loyalty points to upgrade to business class up to 24 hours before departure, subject to availability.',
  },
  { key: 'internal', language: 'zh-CN', title: '内部：退款审批流程', body: '客服主管审批超过五千元的退款，需在工单中注明原因。', visibility: 'internal' },
  { key: 'draft', language: 'en', title: 'Refund policy changes next year', body: 'Draft: refunds will move to fourteen days.', status: 'draft' },
] as const;

describe.each(databases)('knowledge on $name', ({ url }) => {
  let r: Rapport;
  let t: TestTenant;
  const ids: Record<string, string> = {};
  const call = (method: string, path: string, payload?: unknown, headers: Record<string, string> = {}) =>
    r.app.inject({
      method: method as 'GET',
      url: path,
      headers: { ...t.headers, ...headers },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  const visitor = (method: string, path: string, headers: Record<string, string> = {}, payload?: string) =>
    r.app.inject({
      method: method as 'GET',
      url: path,
      headers,
      remoteAddress: `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}`,
      ...(payload !== undefined ? { payload } : {}),
    });
  const topIds = async (q: string, language?: string) => {
    const res = await call('GET', `/v1/knowledge/search?q=${encodeURIComponent(q)}${language ? `&language=${language}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().results.map((x: { id: string }) => x.id) as string[];
  };

  beforeAll(async () => {
    r = await startTestApp(url);
    t = await createTestTenant(r);
    const cat = await call('POST', '/v1/knowledge/categories', { names: { en: 'Orders and refunds', 'zh-CN': '订单与退款' } });
    expect(cat.statusCode, cat.body).toBe(201);
    for (const a of FIXTURE) {
      const res = await call('POST', '/v1/knowledge/articles', {
        title: a.title,
        body: a.body,
        language: a.language,
        category_id: a.key.startsWith('refund') ? cat.json().id : undefined,
        status: 'status' in a ? a.status : 'published',
        visibility: 'visibility' in a ? a.visibility : 'public',
        ...(a.key === 'refund_en' ? { translation_of: ids.refund } : {}),
      });
      expect(res.statusCode, res.body).toBe(201);
      ids[a.key] = res.json().id;
    }
    const syn = await call('POST', '/v1/knowledge/synonyms', { terms: ['退款', '退钱', '退费'] });
    expect(syn.statusCode, syn.body).toBe(201);
    expect((await call('POST', '/v1/knowledge/synonyms', { terms: ['luggage', 'baggage'] })).statusCode).toBe(201);
  });
  afterAll(async () => r?.close());

  it('finds Chinese articles by words inside unspaced sentences, ranked as judged', async () => {
    expect((await topIds('我想申请退款'))[0]).toBe(ids.refund);
    expect((await topIds('信用卡扣了两次'))[0]).toBe(ids.card);
    expect((await topIds('忘记密码怎么办', 'zh-CN'))[0]).toBe(ids.password);
    expect(await topIds('行李', 'zh-CN')).toEqual([ids.baggage]);
    // A synonym the tenant defined: 退钱 finds the 退款 articles.
    const byColloquial = await topIds('怎么退钱', 'zh-CN');
    expect(byColloquial[0]).toBe(ids.refund);
    expect(byColloquial).toContain(ids.internal);
  });

  it('finds English articles with stems, synonyms and misspellings', async () => {
    expect((await topIds('refunds', 'en'))[0]).toBe(ids.refund_en);
    expect((await topIds('how do I reset my password'))[0]).toBe(ids.password_en);
    expect((await topIds('luggage allowance', 'en'))[0]).toBe(ids.baggage_en);
    const typo = await call('GET', `/v1/knowledge/search?q=${encodeURIComponent('pasword resset')}&language=en`);
    expect(typo.json().corrections).toEqual(expect.arrayContaining([{ from: 'pasword', to: 'password' }]));
    expect(typo.json().results[0].id).toBe(ids.password_en);
    expect(typo.json().results[0].snippet_html).toContain('<mark>password</mark>');
    expect((await topIds('upgrde seat poinst', 'en'))[0]).toBe(ids.upgrade_en);
  });

  it("shows an article's text in its snippet without the Markdown marks of its headings and lists", async () => {
    const made = await call('POST', '/v1/knowledge/articles', {
      title: 'Flying with a cello',
      body: '# Cellos in the cabin\nA cello flies on a seat of its own.\n\n- A hard case\n- A seat belt extender',
      language: 'en',
      status: 'published',
      visibility: 'public',
    });
    expect(made.statusCode, made.body).toBe(201);
    const res = await call('GET', `/v1/knowledge/search?q=${encodeURIComponent('cello')}&language=en`);
    const hit = res.json().results.find((x: { id: string }) => x.id === made.json().id);
    expect(hit.snippet_html).toBe('<mark>Cellos</mark> in the cabin A <mark>cello</mark> flies on a seat of its own. A hard case A seat belt extender');
  });

  it('marks the searched words in Chinese snippets and titles', async () => {
    const res = await call('GET', `/v1/knowledge/search?q=${encodeURIComponent('退款')}&language=zh-CN`);
    const hit = res.json().results.find((x: { id: string }) => x.id === ids.refund);
    expect(hit.title_html).toBe('如何申请<mark>退款</mark>');
    expect(hit.snippet_html).toContain('<mark>退款</mark>');
  });

  it('keeps every version of an article with its author and time', async () => {
    const changed = await call('PATCH', `/v1/knowledge/articles/${ids.baggage_en}`, {
      body: 'Economy passengers may check one bag of 23 kg. Excess baggage is charged per kilogram; sports equipment travels free.',
    });
    expect(changed.json().version).toBe(2);
    const versions = (await call('GET', `/v1/knowledge/articles/${ids.baggage_en}/versions`)).json().data;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions[0].author_type).toBe('api_key');
    const v1 = await call('GET', `/v1/knowledge/articles/${ids.baggage_en}/versions/1`);
    expect(v1.json().body).toContain('free of charge');
    expect((await topIds('sports equipment', 'en'))[0]).toBe(ids.baggage_en);
    const translations = (await call('GET', `/v1/knowledge/articles/${ids.refund}`)).json().translations;
    expect(translations).toEqual([expect.objectContaining({ id: ids.refund_en, language: 'en' })]);
    const again = await call('POST', '/v1/knowledge/articles', { title: 'Another', body: 'x', language: 'en', translation_of: ids.refund });
    expect(again.statusCode).toBe(409);
  });

  it('records searches without results, and searches followed by a chat, as gaps grouped by similar query', async () => {
    const w = (q: string, lang: string, extra = '') => visitor('GET', `/v1/help-centres/${t.slug}/search?q=${encodeURIComponent(q)}&lang=${lang}${extra}`);
    const first = await w('宠物能不能上飞机', 'zh-CN');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().results).toEqual([]);
    await w('宠物 飞机', 'zh-CN');
    await w('pet cage rules', 'en');
    await w('pets cages', 'en');
    const found = await w('refund', 'en');
    expect(found.json().results[0].id).toBe(ids.refund_en);
    const chat = await call('POST', `/v1/knowledge/searches/${found.json().search_id}/chat`, { conversation_id: 'cnv_test_1' });
    expect(chat.statusCode, chat.body).toBe(204);
    const gaps = (await call('GET', '/v1/knowledge/gaps')).json().data as {
      query: string;
      searches: number;
      no_result: number;
      followed_by_chat: number;
      queries: string[];
    }[];
    const pets = gaps.find((g) => g.queries.includes('宠物能不能上飞机'))!;
    expect(pets).toMatchObject({ searches: 2, no_result: 2 });
    expect(pets.queries.sort()).toEqual(['宠物 飞机', '宠物能不能上飞机']);
    expect(gaps.find((g) => g.queries.includes('pets cages'))).toMatchObject({ searches: 2, no_result: 2 });
    expect(gaps.find((g) => g.queries.includes('refund'))).toMatchObject({ searches: 1, no_result: 0, followed_by_chat: 1 });
  });

  it('searches in the language the visitor typed when none is given, without recording a false gap', async () => {
    // An English browser typing Chinese wants the Chinese articles.
    const res = await visitor('GET', `/v1/help-centres/${t.slug}/search?q=${encodeURIComponent('怎么申请退款')}`, { 'accept-language': 'en' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().language).toBe('zh-CN');
    expect(res.json().results[0]).toMatchObject({ id: ids.refund, url: `/help/${t.slug}/articles/${ids.refund}?language=zh-CN` });
    const gaps = (await call('GET', '/v1/knowledge/gaps')).json().data as { queries: string[] }[];
    expect(gaps.some((g) => g.queries.includes('怎么申请退款'))).toBe(false);
    // The parameter is `language`, as on the agent's search; given, it wins over the query's script.
    const named = await visitor('GET', `/v1/help-centres/${t.slug}/search?q=${encodeURIComponent('怎么申请退款')}&language=en`);
    expect(named.json().language).toBe('en');
    const page = await visitor('GET', `/help/${t.slug}/search?q=${encodeURIComponent('怎么申请退款')}`, { 'accept-language': 'en' });
    expect(page.body).toContain(`/articles/${ids.refund}?language=zh-CN`);
    const suggested = await call('POST', '/v1/knowledge/suggestions', { text: '我想申请退款' });
    expect(suggested.json()).toMatchObject({ language: 'zh-CN', articles: expect.arrayContaining([expect.objectContaining({ id: ids.refund })]) });
    // Each suggestion links the help-centre page an agent can hand the customer; an internal article has none.
    const byId = new Map((suggested.json().articles as { id: string; url_path: string | null }[]).map((a) => [a.id, a.url_path]));
    expect(byId.get(ids.refund)).toBe(`/help/${t.slug}/articles/${ids.refund}?language=zh-CN`);
    if (byId.has(ids.internal)) expect(byId.get(ids.internal)).toBeNull();
    const hcPage = await visitor('GET', byId.get(ids.refund)!);
    expect(hcPage.statusCode).toBe(200);
  });

  it('links a visitor’s recent searches to the chat they start (message.received)', async () => {
    const anon = `anon-${randomBytes(4).toString('hex')}`;
    const s = await visitor('GET', `/v1/help-centres/${t.slug}/search?q=${encodeURIComponent('发票怎么开')}&lang=zh-CN&anonymous_id=${anon}`);
    expect(s.statusCode).toBe(200);
    const ingest = await call('POST', '/v1/events', {
      events: [{ id: `e-${anon}`, type: 'sign_up', occurred_at: r.clock.now().toISOString(), identities: { anonymous_id: anon } }],
    });
    const customerId = ingest.json().results[0].customer_id;
    expect(customerId, ingest.body).toMatch(/^cus_/);
    // A later message of some other conversation of theirs does not link: only the one starting a chat does.
    r.bus.publish({
      type: 'message.received',
      tenantId: t.tenantId,
      payload: { conversationId: 'cnv_older', messageId: 'msg_0', customerId, channel: 'webchat', text: '还有', isNewConversation: false },
    });
    await r.bus.drain();
    const before = await r.db.pool.query('SELECT conversation_id FROM knowledge_searches WHERE tenant_id = $1 AND anonymous_id = $2', [t.tenantId, anon]);
    expect(before.rows).toEqual([{ conversation_id: null }]);
    // Chats arrive a published batch at a time, possibly of several tenants: each tenant's are its own.
    r.bus.publish([
      {
        type: 'message.received',
        tenantId: 'ten_other',
        payload: { conversationId: 'cnv_other_tenant', messageId: 'msg_x', customerId, channel: 'webchat', text: '发票', isNewConversation: true },
      },
      {
        type: 'message.received',
        tenantId: t.tenantId,
        payload: { conversationId: 'cnv_from_bus', messageId: 'msg_1', customerId, channel: 'webchat', text: '发票', isNewConversation: true },
      },
    ]);
    await r.bus.drain();
    const { rows } = await r.db.pool.query('SELECT conversation_id, customer_id FROM knowledge_searches WHERE tenant_id = $1 AND anonymous_id = $2', [
      t.tenantId,
      anon,
    ]);
    expect(rows).toEqual([{ conversation_id: 'cnv_from_bus', customer_id: customerId }]);
    // Once known, what the visitor typed is the customer's data: exported, and erased with them.
    const exported = await call('GET', `/v1/customers/${customerId}/export`);
    expect(exported.json().knowledge_searches).toEqual([expect.objectContaining({ query: '发票怎么开', conversation_id: 'cnv_from_bus' })]);
    const erased = await r.customers.eraseCustomer(t.tenantId, customerId, { type: 'system', id: 'test' });
    expect(erased).toBe(true);
    const after = await r.db.pool.query('SELECT 1 FROM knowledge_searches WHERE tenant_id = $1 AND anonymous_id = $2', [t.tenantId, anon]);
    expect(after.rowCount).toBe(0);
  });

  it('suggests articles and canned replies for a customer message in their language', async () => {
    const res = await call('POST', '/v1/knowledge/suggestions', {
      text: '你好，我上周买的东西想退钱，要怎么弄？',
      language: 'zh-CN',
      candidates: [
        { id: 'cr_refund', title: '退款流程', text: '您好，退款可在“我的订单”中申请，审核通过后三到五个工作日到账。', language: 'zh-CN' },
        { id: 'cr_greeting', text: '您好，很高兴为您服务。', language: 'zh-CN' },
        { id: 'cr_refund_en', text: 'Refunds can be requested from My Orders.', language: 'en' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.articles[0].id).toBe(ids.refund);
    expect(s.articles.map((a: { language: string }) => a.language)).not.toContain('en');
    expect(s.canned_replies.map((c: { id: string }) => c.id)).toEqual(['cr_refund']);
    // A registered source (the inbox's canned replies) is consulted too.
    r.knowledge.addSuggestionSource(async () => [{ id: 'cr_pw', text: 'To reset your password, use Forgot password on the sign-in page.', language: 'en' }]);
    const en = await r.knowledge.suggestForMessage(t.tenantId, { text: 'I forgot my password and cannot log in', language: 'en' });
    expect(en.articles[0].id).toBe(ids.password_en);
    expect(en.canned_replies[0].id).toBe('cr_pw');
  });

  it('records the path an agent takes through a guided script on the conversation', async () => {
    const script = await call('POST', '/v1/knowledge/scripts', {
      case_type: 'mortgage_payoff',
      title: 'Mortgage payoff question',
      language: 'en',
      root_node: 'ask',
      nodes: [
        {
          id: 'ask',
          kind: 'question',
          text: 'Are you selling the home or refinancing?',
          options: [
            { id: 'selling', label: 'Selling', next: 'congrats' },
            { id: 'refi', label: 'Refinancing', next: 'retain' },
          ],
        },
        {
          id: 'retain',
          kind: 'action',
          text: 'Offer the retention rate',
          article_id: ids.refund_en,
          options: [
            { id: 'accepted', label: 'Accepted', next: 'done' },
            { id: 'declined', label: 'Declined', next: 'payoff' },
          ],
        },
        { id: 'congrats', kind: 'action', text: 'Send the payoff statement', options: [] },
        { id: 'payoff', kind: 'action', text: 'Send the payoff statement' },
        { id: 'done', kind: 'action', text: 'Book the rate change' },
      ],
    });
    expect(script.statusCode, script.body).toBe(201);
    const cyclic = await call('POST', '/v1/knowledge/scripts', {
      case_type: 'x',
      title: 'loop',
      language: 'en',
      root_node: 'a',
      nodes: [{ id: 'a', kind: 'question', text: 'a', options: [{ id: 'o', label: 'o', next: 'a' }] }],
    });
    expect(cyclic.statusCode).toBe(422);
    const run = await call('POST', '/v1/knowledge/script-runs', { script_id: script.json().id, conversation_id: 'cnv_mortgage_7' });
    expect(run.statusCode, run.body).toBe(201);
    expect(run.json().current_node.id).toBe('ask');
    const runId = run.json().id;
    expect((await call('POST', `/v1/knowledge/script-runs/${runId}/steps`, { option_id: 'accepted' })).statusCode).toBe(422);
    await call('POST', `/v1/knowledge/script-runs/${runId}/steps`, { option_id: 'refi' });
    const last = await call('POST', `/v1/knowledge/script-runs/${runId}/steps`, { option_id: 'accepted', note: 'happy with 3.1%' });
    expect(last.json().status).toBe('completed');
    const runs = (await call('GET', '/v1/knowledge/script-runs?conversation_id=cnv_mortgage_7')).json().data;
    expect(runs).toHaveLength(1);
    expect(runs[0].path.map((p: { node_id: string; option_id: string | null }) => [p.node_id, p.option_id])).toEqual([
      ['ask', 'refi'],
      ['retain', 'accepted'],
      ['done', null],
    ]);
    expect(runs[0].path[1]).toMatchObject({ option_label: 'Accepted', note: 'happy with 3.1%' });
    // Leaving at will is recorded too.
    const other = await call('POST', '/v1/knowledge/script-runs', { script_id: script.json().id, conversation_id: 'cnv_mortgage_8' });
    const left = await call('POST', `/v1/knowledge/script-runs/${other.json().id}/leave`, { note: 'customer hung up' });
    expect(left.json()).toMatchObject({ status: 'left', path: [{ node_id: 'ask', note: 'customer hung up' }] });
    const nba = await call('POST', '/v1/knowledge/next-best-actions', { case_type: 'mortgage_payoff', text: 'refund please', language: 'en' });
    expect(nba.json().data.slice(0, 2)).toEqual([
      expect.objectContaining({ kind: 'script', id: script.json().id }),
      expect.objectContaining({ kind: 'article', id: ids.refund_en }),
    ]);
    expect(await r.knowledge.resolveTarget(t.tenantId, { kind: 'script', id: script.json().id })).toMatchObject({ title: 'Mortgage payoff question' });
  });

  it('renders the help centre in Chinese and in English, with the article in the visitor’s language', async () => {
    const zh = await visitor('GET', `/help/${t.slug}`, { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['content-type']).toContain('text/html');
    expect(zh.body).toContain('<html lang="zh-CN">');
    expect(zh.body).toContain('帮助中心');
    expect(zh.body).toContain('订单与退款');
    expect(zh.body).toContain('如何申请退款');
    const en = await visitor('GET', `/help/${t.slug}?lang=en`, { 'accept-language': 'zh-CN' });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Help Centre');
    expect(en.body).toContain('Orders and refunds');
    expect(en.body).toContain('How to request a refund');
    // The Chinese article's page, asked for in English, shows its English translation.
    const article = await visitor('GET', `/help/${t.slug}/articles/${ids.refund}`, { 'accept-language': 'en-US,en;q=0.9' });
    expect(article.statusCode).toBe(200);
    expect(article.body).toContain('<h1>How to request a refund</h1>');
    expect(article.body).toContain('hreflang="zh-CN"');
    expect(article.body).toContain('Was this article helpful?');
    const zhArticle = await visitor('GET', `/help/${t.slug}/articles/${ids.refund}?lang=zh-CN`);
    expect(zhArticle.body).toContain('<h1>如何申请退款</h1>');
    expect(zhArticle.body).toContain('这篇文章对您有帮助吗？');
    const search = await visitor('GET', `/help/${t.slug}/search?q=${encodeURIComponent('退钱')}&lang=zh-CN`);
    expect(search.body).toContain('如何申请<mark>退款</mark>');
  });

  it('takes feedback from the page form and from the widget', async () => {
    const form = await visitor(
      'POST',
      `/help/${t.slug}/articles/${ids.password}/feedback?lang=zh-CN`,
      { 'content-type': 'application/x-www-form-urlencoded' },
      'helpful=no&comment=%E6%B2%A1%E6%94%B6%E5%88%B0%E9%AA%8C%E8%AF%81%E7%A0%81',
    );
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toContain('thanks=1');
    const widget = await r.app.inject({ method: 'POST', url: `/v1/help-centres/${t.slug}/articles/${ids.password}/feedback`, payload: { helpful: true } });
    expect(widget.statusCode, widget.body).toBe(201);
    const fb = (await call('GET', `/v1/knowledge/articles/${ids.password}/feedback`)).json();
    expect(fb).toMatchObject({ helpful: 1, not_helpful: 1 });
    expect(fb.data.map((f: { comment: string | null }) => f.comment)).toContain('没收到验证码');
  });

  it('never shows a draft or internal article to visitors, on pages or in the widget', async () => {
    for (const key of ['internal', 'draft'] as const) {
      const page = await visitor('GET', `/help/${t.slug}/articles/${ids[key]}`);
      expect(page.statusCode).toBe(404);
      expect(page.body).not.toContain(FIXTURE.find((a) => a.key === key)!.title);
      const fb = await r.app.inject({ method: 'POST', url: `/v1/help-centres/${t.slug}/articles/${ids[key]}/feedback`, payload: { helpful: true } });
      expect(fb.statusCode).toBe(404);
    }
    const home = [
      (await visitor('GET', `/help/${t.slug}?lang=zh-CN`)).body,
      (await visitor('GET', `/help/${t.slug}?lang=en`)).body,
      (await visitor('GET', `/help/${t.slug}/sitemap.xml`)).body,
    ].join('\n');
    expect(home).not.toContain('审批流程');
    expect(home).not.toContain('Refund policy changes');
    expect(home).not.toContain(ids.internal);
    expect(home).not.toContain(ids.draft);
    for (const [q, lang] of [
      ['退款审批', 'zh-CN'],
      ['退款', 'zh-CN'],
      ['refund policy fourteen', 'en'],
      ['refunds', 'en'],
    ]) {
      const widget = await visitor('GET', `/v1/help-centres/${t.slug}/search?q=${encodeURIComponent(q)}&lang=${lang}`);
      const hits = widget.json().results.map((x: { id: string }) => x.id);
      expect(hits).not.toContain(ids.internal);
      expect(hits).not.toContain(ids.draft);
      expect(widget.body).not.toContain('内部');
      const page = await visitor('GET', `/help/${t.slug}/search?q=${encodeURIComponent(q)}&lang=${lang}`);
      expect(page.body).not.toContain('内部');
      expect(page.body).not.toContain('Refund policy changes');
    }
    // Unpublishing takes an article off the help centre at once.
    await call('PATCH', `/v1/knowledge/articles/${ids.baggage}`, { status: 'draft' });
    expect((await visitor('GET', `/help/${t.slug}/articles/${ids.baggage}`)).statusCode).toBe(404);
    expect((await visitor('GET', `/v1/help-centres/${t.slug}/search?q=${encodeURIComponent('行李')}&lang=zh-CN`)).json().results).toEqual([]);
  });

  it('limits how often one visitor may search', async () => {
    let last = 0;
    for (let i = 0; i < 65; i++)
      last = (await r.app.inject({ method: 'GET', url: `/v1/help-centres/${t.slug}/search?q=x${i}`, remoteAddress: '10.250.0.1' })).statusCode;
    expect(last).toBe(429);
  });
});
