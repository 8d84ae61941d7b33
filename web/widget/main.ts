// The Rapport widget: <script src="https://rapport.example.com/widget.js" data-key="wpk...." async>.
// It draws a launcher and a panel (chat and feedback) inside a shadow root, so the host page's
// CSS cannot reach in and ours cannot leak out. No framework: it must stay small on every page.
const STRINGS = {
  en: {
    open: 'Open chat and feedback', close: 'Close', title: 'How can we help?', chat: 'Chat', feedback: 'Feedback',
    chatSoon: 'Live chat is not available yet. Leave us your feedback and we will read every word.',
    message: 'Your message', you: 'You', agent: 'Support', connecting: 'Connecting…', chatFailed: 'Not connected. Retrying…',
    rating: 'How was your experience?', star: '{n} of 5', text: 'Your feedback', send: 'Send', sending: 'Sending…',
    thanks: 'Thank you! Your feedback reached us.', failed: 'Sorry, that did not go through. Please try again.', tooMany: 'Too many messages; please try again later.',
    later: 'Not now', required: 'Please answer the questions marked *.', of: '{n} of {max}',
    helpSearch: 'Search our help articles', search: 'Search', searching: 'Searching…', noHits: 'No article matches that.', stillNeedHelp: 'Still need help? Chat with us',
  },
  zh: {
    open: '打开聊天与反馈', close: '关闭', title: '有什么可以帮您？', chat: '聊天', feedback: '反馈',
    chatSoon: '在线聊天暂未开放。欢迎留下您的反馈，我们会认真阅读每一条。',
    message: '您的消息', you: '我', agent: '客服', connecting: '连接中…', chatFailed: '未连接，正在重试…',
    rating: '您的体验如何？', star: '{n} 分（满分 5 分）', text: '您的反馈', send: '发送', sending: '发送中…',
    thanks: '谢谢！我们已收到您的反馈。', failed: '抱歉，发送失败，请重试。', tooMany: '发送过于频繁，请稍后再试。',
    later: '以后再说', required: '请回答标有 * 的问题。', of: '{n} 分（满分 {max} 分）',
    helpSearch: '搜索帮助文章', search: '搜索', searching: '搜索中…', noHits: '没有找到相关文章。', stillNeedHelp: '仍需帮助？与我们聊天',
  },
};

const WIDGET_CSS = `
:host { all: initial; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; }
.launcher { position: fixed; right: 20px; bottom: 20px; width: 56px; height: 56px; border-radius: 50%; border: 0; background: #1f5fbf; color: #fff; cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25); z-index: 2147483000; display: grid; place-items: center; }
.launcher svg { width: 26px; height: 26px; }
button:focus-visible, textarea:focus-visible, input:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
.panel { position: fixed; right: 20px; bottom: 88px; width: 360px; max-width: calc(100vw - 24px); max-height: min(560px, calc(100vh - 110px)); background: #fff; color: #1c2430; border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.25); z-index: 2147483000; display: flex; flex-direction: column; overflow: hidden; font-size: 15px; line-height: 1.45; }
.panel[hidden] { display: none; }
.head { background: #1f5fbf; color: #fff; padding: 12px 14px; display: flex; justify-content: space-between; align-items: center; }
.head h2 { font-size: 16px; margin: 0; }
.x { background: transparent; border: 0; color: #fff; font-size: 22px; cursor: pointer; line-height: 1; padding: 4px 8px; }
.tabs { display: flex; border-bottom: 1px solid #d9dee5; }
.tabs button { flex: 1; padding: 10px; background: #fff; border: 0; border-bottom: 3px solid transparent; cursor: pointer; font-size: 14px; color: #5b6676; }
.tabs button[aria-selected="true"] { border-bottom-color: #1f5fbf; color: #1c2430; font-weight: 600; }
.body { padding: 14px; overflow-y: auto; }
.stars { display: flex; gap: 6px; margin: 6px 0 12px; border: 0; padding: 0; }
.stars legend { padding: 0; margin-bottom: 6px; }
.stars label { cursor: pointer; font-size: 24px; color: #c4cbd6; }
.stars input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.stars label.on { color: #f5a623; }
.stars input:focus-visible + span { outline: 3px solid #ffbf47; }
textarea { width: 100%; min-height: 96px; padding: 8px; border: 1px solid #d9dee5; border-radius: 8px; font-size: 15px; resize: vertical; }
.send { margin-top: 10px; background: #1f5fbf; color: #fff; border: 0; border-radius: 8px; padding: 9px 16px; cursor: pointer; font-size: 15px; }
.send:disabled { opacity: .6; cursor: default; }
.note { margin: 10px 0 0; font-size: 14px; }
.note.bad { color: #b42318; }
.note.good { color: #1a7f37; }
.log { list-style: none; margin: 0 0 10px; padding: 0; display: flex; flex-direction: column; gap: 6px; max-height: 300px; overflow-y: auto; }
.log li { max-width: 85%; padding: 7px 10px; border-radius: 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
.log .in { align-self: flex-end; background: #1f5fbf; color: #fff; }
.log .out { align-self: flex-start; background: #eef1f5; }
.log .sys { align-self: center; background: none; color: #5b6676; font-size: 13px; }
.chat-form { display: flex; gap: 8px; align-items: flex-end; }
.chat-form textarea { min-height: 44px; }
.chat-form .send { margin-top: 0; }
.pop { position: fixed; right: 20px; bottom: 88px; width: 360px; max-width: calc(100vw - 24px); max-height: calc(100vh - 110px); overflow-y: auto; background: #fff; color: #1c2430; border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.25); z-index: 2147483001; font-size: 15px; line-height: 1.45; }
.pop fieldset { border: 0; padding: 0; margin: 0 0 12px; }
.pop legend { padding: 0; margin-bottom: 6px; font-weight: 600; }
.pop .intro { margin: 0 0 10px; color: #5b6676; }
.scale { display: flex; flex-wrap: wrap; gap: 6px; }
.scale button { min-width: 38px; height: 38px; border: 1px solid #c4cbd6; border-radius: 8px; background: #fff; cursor: pointer; font-size: 15px; color: #1c2430; }
.scale button[aria-pressed="true"] { background: #1f5fbf; border-color: #1f5fbf; color: #fff; }
.ends { display: flex; justify-content: space-between; font-size: 12px; color: #5b6676; margin-top: 4px; }
.later { background: transparent; border: 0; color: #5b6676; cursor: pointer; margin-left: 10px; font-size: 14px; }
.help-form { display: flex; gap: 8px; }
.help-form input { flex: 1; min-width: 0; padding: 8px; border: 1px solid #d9dee5; border-radius: 8px; font-size: 15px; }
.help-form .send { margin-top: 0; }
.hits { list-style: none; margin: 10px 0 0; padding: 0; }
.hits li { padding: 8px 0; border-bottom: 1px solid #eef1f5; }
.hits a { color: #1f5fbf; font-weight: 600; }
.hits p { margin: 2px 0 0; font-size: 13px; color: #5b6676; }
.still { margin-top: 12px; background: transparent; border: 1px solid #1f5fbf; color: #1f5fbf; border-radius: 8px; padding: 8px 12px; cursor: pointer; font-size: 14px; width: 100%; }
[hidden] { display: none !important; }
@media (max-width: 480px) { .pop { right: 12px; left: 12px; width: auto; bottom: 84px; } .panel { right: 12px; left: 12px; width: auto; bottom: 84px; } .launcher { right: 12px; bottom: 12px; } }
`;

const ICON = '<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

type Strings = (typeof STRINGS)['en'];
type Both = { en: string; 'zh-CN': string };
interface ShowIf { question: string; equals?: number | string; in?: (number | string)[]; min?: number; max?: number }
interface SurveyQuestion { key: string; type: string; text: Both; required: boolean; min?: number; max?: number; options?: { value: string; text: Both }[]; show_if?: ShowIf }
/** A survey the feedback module asks in the widget: texts in both languages and the signed token its answer goes back with. */
interface SurveyFrame { invitation_id: string; token: string; title: Both; intro: Both; thanks: Both; questions: SurveyQuestion[] }

const stored = (area: Storage | undefined, key: string): string[] => { try { return JSON.parse(area?.getItem(key) ?? '[]'); } catch { return []; } };
const remember = (area: Storage | undefined, key: string, id: string) => { try { area?.setItem(key, JSON.stringify([...stored(area, key), id].slice(-20))); } catch { /* private mode */ } };

// The survey pop-in: one card above the launcher with the survey's questions (scales as buttons,
// choices, text), answered through the feedback module's signed link. Answered surveys are remembered
// so a repeated frame is not shown again; "Not now" hides one for the rest of the visit.
function createSurveyPopIn(root: ShadowRoot, base: string, lang: 'en' | 'zh', s: Strings, onShow: () => boolean) {
  const DONE = 'rapport.surveys.done';
  const LATER = 'rapport.surveys.later';
  const local = (() => { try { return localStorage; } catch { return undefined; } })();
  const session = (() => { try { return sessionStorage; } catch { return undefined; } })();
  let current: string | undefined;
  const pick = (t: Both) => (lang === 'zh' ? t['zh-CN'] || t.en : t.en || t['zh-CN']);

  return (f: SurveyFrame) => {
    if (current || stored(local, DONE).includes(f.invitation_id) || stored(session, LATER).includes(f.invitation_id)) return;
    current = f.invitation_id;
    const answers: Record<string, number | string | string[]> = {};
    const pop = el('section', { class: 'pop', role: 'dialog', 'aria-labelledby': 'pop-title' });
    const head = el('div', { class: 'head' });
    const close = el('button', { class: 'x', type: 'button', 'aria-label': s.later }, '×');
    head.append(el('h2', { id: 'pop-title' }, pick(f.title)), close);
    const form = el('form', { class: 'body' });
    if (pick(f.intro)) form.append(el('p', { class: 'intro' }, pick(f.intro)));
    const blocks: [SurveyQuestion, HTMLFieldSetElement][] = [];
    const holds = (c: ShowIf) => {
      const a = answers[c.question];
      // As the feedback module reads it: a list of choices holds when one of them does.
      return a !== undefined && (Array.isArray(a) ? a : [a]).some((v) => (c.equals === undefined || v === c.equals) && (c.in === undefined || c.in.includes(v))
        && (c.min === undefined || (typeof v === 'number' && v >= c.min)) && (c.max === undefined || (typeof v === 'number' && v <= c.max)));
    };
    // Branching looks back only (the feedback module checks that), so one pass top to bottom decides.
    const refresh = () => {
      const shown = new Set<string>();
      for (const [q, box] of blocks) {
        box.hidden = !!q.show_if && !(shown.has(q.show_if.question) && holds(q.show_if));
        if (!box.hidden) shown.add(q.key);
      }
    };
    for (const q of f.questions) {
      const box = el('fieldset', { 'data-key': q.key });
      box.append(el('legend', {}, pick(q.text) + (q.required ? ' *' : '')));
      const choices: [string | number, string][] = q.min !== undefined && q.max !== undefined
        ? Array.from({ length: q.max - q.min + 1 }, (_, i) => [q.min! + i, s.of.replace('{n}', String(q.min! + i)).replace('{max}', String(q.max))])
        : (q.options ?? []).map((o) => [o.value, pick(o.text)]);
      if (q.type === 'text') {
        const area = el('textarea', { maxlength: '2000', 'aria-label': pick(q.text) });
        area.addEventListener('input', () => { answers[q.key] = area.value; });
        box.append(area);
      } else {
        const isMany = q.type === 'multiple_choice';
        const row = el('div', { class: 'scale' });
        const buttons = choices.map(([value, label]) => {
          const b = el('button', { type: 'button', 'aria-pressed': 'false', 'aria-label': label }, typeof value === 'number' ? String(value) : label);
          b.addEventListener('click', () => {
            if (isMany) {
              const on = b.getAttribute('aria-pressed') !== 'true';
              b.setAttribute('aria-pressed', String(on));
              const picked = buttons.filter((x) => x.getAttribute('aria-pressed') === 'true').map((x) => choices[buttons.indexOf(x)][0] as string);
              if (picked.length) answers[q.key] = picked;
              else delete answers[q.key];
            } else {
              answers[q.key] = value;
              buttons.forEach((x) => x.setAttribute('aria-pressed', String(x === b)));
            }
            refresh();
          });
          return b;
        });
        row.append(...buttons);
        box.append(row);
      }
      blocks.push([q, box]);
      form.append(box);
    }
    refresh();
    const send = el('button', { class: 'send', type: 'submit' }, s.send);
    const later = el('button', { class: 'later', type: 'button' }, s.later);
    const note = el('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
    form.append(send, later, note);
    pop.append(head, form);
    // The chat panel steps aside; a visitor who was typing in it is taken to the first question.
    const wasInPanel = onShow();
    root.append(pop);
    if (wasInPanel) pop.querySelector<HTMLElement>('.scale button, textarea')?.focus();

    const hide = () => { pop.remove(); current = undefined; };
    const dismiss = () => { remember(session, LATER, f.invitation_id); hide(); };
    close.addEventListener('click', dismiss);
    later.addEventListener('click', dismiss);
    pop.addEventListener('keydown', (e) => { if (e.key === 'Escape') dismiss(); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const visible = blocks.filter(([, box]) => !box.hidden).map(([q]) => q);
      const given = Object.fromEntries(visible.filter((q) => answers[q.key] !== undefined && String(answers[q.key]).trim() !== '').map((q) => [q.key, answers[q.key]]));
      note.className = 'note bad';
      if (visible.some((q) => q.required && given[q.key] === undefined)) { note.textContent = s.required; return; }
      send.disabled = true;
      send.textContent = s.sending;
      note.textContent = '';
      try {
        // text/plain keeps this a CORS "simple request", as the feedback button's posts.
        const res = await fetch(`${base}/s/${encodeURIComponent(f.token)}`, {
          method: 'POST', mode: 'cors', credentials: 'omit', headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ answers: given, language: lang === 'zh' ? 'zh-CN' : 'en', page_url: location.href.slice(0, 2000) }),
        });
        // 409: answered already (another tab, a retried request): nothing more to do here.
        if (!res.ok && res.status !== 409) throw new Error(String(res.status));
        remember(local, DONE, f.invitation_id);
        form.replaceChildren(el('p', { class: 'note good', role: 'status' }, pick(f.thanks) || s.thanks));
        setTimeout(hide, 4000);
      } catch {
        note.textContent = s.failed;
        send.disabled = false;
        send.textContent = s.send;
      }
    });
  };
}
interface ChatLine { dir: 'in' | 'out'; text: string; id?: string }
interface Visitor { anonymous_id: string; visitor_token: string }
interface HelpHit { id: string; title: string; snippet_html: string; url: string }

// The help centre searched before a chat, results inline. "Still need help" hands over to the chat
// (or the feedback form) and tells Rapport the search did not answer the visitor: a content gap the
// knowledge module counts as followed by a chat. No language is sent: the server reads Chinese from
// the query's script, else the browser's Accept-Language.
function createHelpSearch(base: string, key: string, s: Strings, visitor: () => Visitor | undefined, onStill: (searchId: string | null) => void) {
  const box = el('div');
  const form = el('form', { class: 'help-form', role: 'search' });
  const input = el('input', { type: 'search', maxlength: '500', 'aria-label': s.helpSearch, placeholder: s.helpSearch });
  form.append(input, el('button', { class: 'send', type: 'submit' }, s.search));
  const note = el('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const hits = el('ul', { class: 'hits' });
  const still = el('button', { class: 'still', type: 'button' }, s.stillNeedHelp);
  box.append(form, note, hits, still);
  let searchId: string | null = null;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    note.textContent = s.searching;
    hits.replaceChildren();
    try {
      const res = await fetch(`${base}/v1/widget/help-searches`, {
        method: 'POST', mode: 'cors', credentials: 'omit', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ key, q, ...visitor() }),
      });
      if (!res.ok) throw new Error(String(res.status));
      const r = await res.json() as { search_id: string | null; results: HelpHit[] };
      searchId = r.search_id;
      note.textContent = r.results.length ? '' : s.noHits;
      for (const h of r.results) {
        // The snippet's highlight markup is read as text in an inert template: nothing in it runs.
        const snippet = el('template');
        snippet.innerHTML = h.snippet_html;
        const li = el('li');
        li.append(el('a', { href: new URL(h.url, base).href, target: '_blank', rel: 'noopener' }, h.title), el('p', {}, snippet.content.textContent ?? ''));
        hits.append(li);
      }
    } catch {
      note.textContent = s.failed;
    }
  });
  still.addEventListener('click', () => onStill(searchId));
  return box;
}

// Live chat over the inbox's web chat socket (data-chat="<tenant id>/<channel id>"). The server gives
// the visitor an anonymous id and a token signed by the channel; both are kept so the same visitor
// returns to the same conversation, and the lines are kept so a page change does not lose them.
function startChat(body: HTMLElement, base: string, target: string, s: Strings, onSurvey: (f: SurveyFrame) => void) {
  const [tenant, channel] = target.split('/');
  if (!tenant || !channel) return undefined;
  const KEY = `rapport.chat.${channel}`;
  const saved = (() => { try { return JSON.parse(localStorage.getItem(KEY) ?? '{}') as { anonymous_id?: string; visitor_token?: string; lines?: ChatLine[] }; } catch { return {}; } })();
  const state = { anonymous_id: saved.anonymous_id, visitor_token: saved.visitor_token, lines: saved.lines ?? [] };
  const save = () => { try { localStorage.setItem(KEY, JSON.stringify({ ...state, lines: state.lines.slice(-50) })); } catch { /* private mode */ } };

  const log = el('ol', { class: 'log', 'aria-live': 'polite', 'aria-label': s.chat });
  const status = el('p', { class: 'note', role: 'status' });
  const form = el('form', { class: 'chat-form' });
  const label = el('label', { for: 'chat-text', class: 'sr' }, s.message);
  label.style.cssText = 'position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)';
  const input = el('textarea', { id: 'chat-text', rows: '2', maxlength: '2000' });
  const send = el('button', { class: 'send', type: 'submit' }, s.send);
  form.append(label, input, send);
  const box = el('div');
  box.append(log, status, form);
  body.append(box);

  const show = (line: ChatLine | { dir: 'sys'; text: string }) => {
    const li = el('li', { class: line.dir }, line.text);
    li.setAttribute('aria-label', `${line.dir === 'in' ? s.you : line.dir === 'out' ? s.agent : ''}: ${line.text}`);
    log.append(li);
    log.scrollTop = log.scrollHeight;
  };
  state.lines.forEach(show);

  const waiting: ((v: Visitor) => void)[] = [];
  let socket: WebSocket | undefined;
  let attempt = 0;
  let isStopped = false;
  const queue: string[] = [];
  const connect = () => {
    if (socket || isStopped) return;
    const url = new URL(`/hooks/inbox/${encodeURIComponent(tenant)}/webchat/${encodeURIComponent(channel)}`, base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (state.anonymous_id && state.visitor_token) { url.searchParams.set('anonymous_id', state.anonymous_id); url.searchParams.set('visitor_token', state.visitor_token); }
    status.textContent = s.connecting;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onmessage = (m) => {
      let f: { type?: string; text?: string; anonymous_id?: string; visitor_token?: string; direction?: string; message_id?: string };
      try { f = JSON.parse(String(m.data)); } catch { return; }
      if (f.type === 'survey') onSurvey(f as unknown as SurveyFrame);
      // A survey too long for the live feed: a new connection brings it whole.
      else if (f.type === 'survey_waiting') ws.close();
      else if (f.type === 'welcome') {
        attempt = 0;
        status.textContent = '';
        state.anonymous_id = f.anonymous_id;
        state.visitor_token = f.visitor_token;
        save();
        if (f.text && !state.lines.length) show({ dir: 'sys', text: f.text });
        while (queue.length) ws.send(queue.shift()!);
        for (const cb of waiting.splice(0)) cb(visitor()!);
      } else if (f.type === 'message' && f.text) {
        // Replies not yet confirmed come again on every connection: shown once by their id, then confirmed.
        if (f.message_id) ws.send(JSON.stringify({ type: 'received', message_id: f.message_id }));
        if (f.message_id && state.lines.some((l: ChatLine) => l.id === f.message_id)) return;
        const line: ChatLine = { dir: 'out', text: f.text, ...(f.message_id ? { id: f.message_id } : {}) };
        state.lines.push(line);
        save();
        show(line);
      }
    };
    ws.onclose = (e) => {
      socket = undefined;
      // 4403/4404: this site or channel is refused; asking again will not change that.
      if (e.code === 4403 || e.code === 4404) { isStopped = true; status.textContent = s.failed; return; }
      status.textContent = s.chatFailed;
      setTimeout(connect, Math.min(30_000, 1000 * 2 ** attempt++));
    };
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    const frame = JSON.stringify({ type: 'message', text, client_id: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}` });
    if (socket?.readyState === WebSocket.OPEN) socket.send(frame);
    else { queue.push(frame); connect(); }
    const line: ChatLine = { dir: 'in', text };
    state.lines.push(line);
    save();
    show(line);
    input.value = '';
  });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); } });
  if (state.lines.length) connect();
  // The anonymous id with the token the chat's server signed for it: the only way feedback can say
  // which visitor left it (an id without its token is not honoured).
  const visitor = (): Visitor | undefined => (state.anonymous_id && state.visitor_token ? { anonymous_id: state.anonymous_id, visitor_token: state.visitor_token } : undefined);
  /** Calls back with the visitor once the chat's server has named them (at once if it has). */
  const whenVisitor = (cb: (v: Visitor) => void) => { const v = visitor(); if (v) cb(v); else { waiting.push(cb); connect(); } };
  return { connect, visitor, whenVisitor, box, hasLines: () => state.lines.length > 0 };
}

function mount(script: HTMLScriptElement) {
  const key = script.dataset.key ?? '';
  const base = new URL(script.src, location.href).origin;
  const lang = (script.dataset.lang ?? navigator.language ?? 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
  const s = STRINGS[lang];

  const host = el('div', { id: 'rapport-widget' });
  const root = host.attachShadow({ mode: 'open' });
  const style = el('style');
  style.textContent = WIDGET_CSS;
  root.appendChild(style);

  const launcher = el('button', { class: 'launcher', type: 'button', 'aria-label': s.open, 'aria-expanded': 'false', 'aria-controls': 'panel' });
  launcher.innerHTML = ICON;
  const panel = el('div', { class: 'panel', id: 'panel', role: 'dialog', 'aria-label': s.title, hidden: '' });
  const head = el('div', { class: 'head' });
  head.append(el('h2', {}, s.title));
  const close = el('button', { class: 'x', type: 'button', 'aria-label': s.close }, '×');
  head.append(close);

  const tabs = el('div', { class: 'tabs', role: 'tablist' });
  const chatTab = el('button', { type: 'button', role: 'tab', 'aria-selected': 'false', id: 'tab-chat' }, s.chat);
  const fbTab = el('button', { type: 'button', role: 'tab', 'aria-selected': 'true', id: 'tab-feedback' }, s.feedback);
  tabs.append(chatTab, fbTab);

  const chatBody = el('div', { class: 'body', role: 'tabpanel', 'aria-labelledby': 'tab-chat', hidden: '' });
  const chat = script.dataset.chat ? startChat(chatBody, base, script.dataset.chat, s, createSurveyPopIn(root, base, lang, s, () => {
    const wasOpen = !panel.hidden;
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    return wasOpen;
  })) : undefined;
  if (!chat) chatBody.append(el('p', {}, s.chatSoon));
  const escalate = (searchId: string, v?: Visitor) => void fetch(`${base}/v1/widget/help-searches/${encodeURIComponent(searchId)}/chat`, {
    method: 'POST', mode: 'cors', credentials: 'omit', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ key, ...v }),
  }).catch(() => undefined);
  const help = createHelpSearch(base, key, s, () => chat?.visitor(), (searchId) => {
    help.hidden = true;
    if (chat) {
      chat.box.hidden = false;
      chat.box.querySelector('textarea')?.focus();
      // With the visitor's id the chat they are about to start is linked to the search too.
      if (searchId) chat.whenVisitor((v) => escalate(searchId, v));
    } else {
      if (searchId) escalate(searchId);
      selectTab(false);
    }
  });
  chatBody.prepend(help);
  // A visitor already chatting goes straight back to the conversation.
  if (chat?.hasLines()) help.hidden = true;
  else if (chat) chat.box.hidden = true;

  const form = el('form', { class: 'body', role: 'tabpanel', 'aria-labelledby': 'tab-feedback' });
  const stars = el('fieldset', { class: 'stars' });
  stars.append(el('legend', {}, s.rating));
  let rating = 0;
  const labels: HTMLLabelElement[] = [];
  for (let n = 1; n <= 5; n++) {
    const label = el('label');
    const input = el('input', { type: 'radio', name: 'rating', value: String(n), 'aria-label': s.star.replace('{n}', String(n)) });
    input.addEventListener('change', () => { rating = n; labels.forEach((l, i) => l.classList.toggle('on', i < n)); });
    label.append(input, el('span', { 'aria-hidden': 'true' }, '★'));
    labels.push(label);
    stars.append(label);
  }
  const textLabel = el('label', { for: 'fb-text' }, s.text);
  const text = el('textarea', { id: 'fb-text', name: 'text', maxlength: '2000', required: '' });
  const send = el('button', { class: 'send', type: 'submit' }, s.send);
  const note = el('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  form.append(stars, textLabel, text, send, note);

  panel.append(head, tabs, chatBody, form);
  root.append(launcher, panel);
  document.body.appendChild(host);

  const selectTab = (isChat: boolean) => {
    chatTab.setAttribute('aria-selected', String(isChat));
    fbTab.setAttribute('aria-selected', String(!isChat));
    chatBody.hidden = !isChat;
    form.hidden = isChat;
    if (isChat) chat?.connect();
  };

  chatTab.addEventListener('click', () => selectTab(true));
  fbTab.addEventListener('click', () => selectTab(false));

  const setOpen = (open: boolean) => {
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    if (open) text.focus();
    else launcher.focus();
  };
  launcher.addEventListener('click', () => setOpen(panel.hidden));
  close.addEventListener('click', () => setOpen(false));
  panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') setOpen(false); });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!text.value.trim()) return;
    send.disabled = true;
    send.textContent = s.sending;
    note.className = 'note';
    note.textContent = '';
    const visitor = chat?.visitor();
    try {
      // text/plain keeps this a CORS "simple request": no preflight round trip from the customer's site.
      const res = await fetch(`${base}/v1/widget/feedback`, {
        method: 'POST', mode: 'cors', credentials: 'omit', headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ key, text: text.value.trim(), page_url: location.href.slice(0, 2000), ...(rating ? { rating } : {}), ...visitor }),
      });
      if (!res.ok) throw new Error(String(res.status));
      text.value = '';
      note.className = 'note good';
      note.textContent = s.thanks;
    } catch (err) {
      note.className = 'note bad';
      note.textContent = (err as Error).message === '429' ? s.tooMany : s.failed;
    } finally {
      send.disabled = false;
      send.textContent = s.send;
    }
  });

  return { open: () => setOpen(true), close: () => setOpen(false) };
}

const current = document.currentScript as HTMLScriptElement | null;
const start = () => {
  if (!current || document.getElementById('rapport-widget')) return;
  (window as unknown as { RapportWidget?: unknown }).RapportWidget = mount(current);
};
if (document.body) start();
else document.addEventListener('DOMContentLoaded', start);
export {};
