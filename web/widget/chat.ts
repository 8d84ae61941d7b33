import { el } from './dom.js';
import type { Strings } from './strings.js';
import type { SurveyFrame } from './survey-pop-in.js';

export interface ChatLine {
  dir: 'in' | 'out';
  text: string;
  id?: string;
}
export interface Visitor {
  anonymous_id: string;
  visitor_token: string;
}

// Live chat over the inbox's web chat socket (data-chat="<tenant id>/<channel id>"). The server gives
// the visitor an anonymous id and a token signed by the channel; both are kept so the same visitor
// returns to the same conversation, and the lines are kept so a page change does not lose them.
export function startChat(body: HTMLElement, base: string, target: string, s: Strings, onSurvey: (f: SurveyFrame) => void) {
  const [tenant, channel] = target.split('/');
  if (!tenant || !channel) return undefined;
  const KEY = `rapport.chat.${channel}`;
  const saved = (() => {
    try {
      return JSON.parse(localStorage.getItem(KEY) ?? '{}') as { anonymous_id?: string; visitor_token?: string; lines?: ChatLine[] };
    } catch {
      return {};
    }
  })();
  const state = { anonymous_id: saved.anonymous_id, visitor_token: saved.visitor_token, lines: saved.lines ?? [] };
  const save = () => {
    try {
      localStorage.setItem(KEY, JSON.stringify({ ...state, lines: state.lines.slice(-50) }));
    } catch {
      /* private mode */
    }
  };

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
  // Frames wait while something the server must know first is on its way (holdSends).
  let held: Promise<unknown> | undefined;
  const flush = () => {
    while (!held && queue.length && socket?.readyState === WebSocket.OPEN) socket.send(queue.shift()!);
  };
  const connect = () => {
    if (socket || isStopped) return;
    const url = new URL(`/hooks/inbox/${encodeURIComponent(tenant)}/webchat/${encodeURIComponent(channel)}`, base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (state.anonymous_id && state.visitor_token) {
      url.searchParams.set('anonymous_id', state.anonymous_id);
      url.searchParams.set('visitor_token', state.visitor_token);
    }
    status.textContent = s.connecting;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onmessage = (m) => {
      let f: { type?: string; text?: string; anonymous_id?: string; visitor_token?: string; direction?: string; message_id?: string };
      try {
        f = JSON.parse(String(m.data));
      } catch {
        return;
      }
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
        for (const cb of waiting.splice(0)) cb(visitor()!);
        flush();
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
      if (e.code === 4403 || e.code === 4404) {
        isStopped = true;
        status.textContent = s.failed;
        return;
      }
      status.textContent = s.chatFailed;
      setTimeout(connect, Math.min(30_000, 1000 * 2 ** attempt++));
    };
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    const frame = JSON.stringify({ type: 'message', text, client_id: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}` });
    queue.push(frame);
    if (socket?.readyState === WebSocket.OPEN) flush();
    else connect();
    const line: ChatLine = { dir: 'in', text };
    state.lines.push(line);
    save();
    show(line);
    input.value = '';
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  if (state.lines.length) connect();
  // The anonymous id with the token the chat's server signed for it: the only way feedback can say
  // which visitor left it (an id without its token is not honoured).
  const visitor = (): Visitor | undefined =>
    state.anonymous_id && state.visitor_token ? { anonymous_id: state.anonymous_id, visitor_token: state.visitor_token } : undefined;
  /** Calls back with the visitor once the chat's server has named them (at once if it has). */
  const whenVisitor = (cb: (v: Visitor) => void) => {
    const v = visitor();
    if (v) cb(v);
    else {
      waiting.push(cb);
      connect();
    }
  };
  /**
   * Holds the visitor's messages until `p` settles (10 s at most: the socket may still have to open and
   * name the visitor): the search a visitor escalates must be marked with their id before their first
   * message starts the chat, or the chat is not linked to it.
   */
  const holdSends = (p: Promise<unknown>) => {
    const h: Promise<unknown> = Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, 10_000))]).then(() => {
      if (held === h) held = undefined;
      flush();
    });
    held = h;
  };
  return { connect, visitor, whenVisitor, holdSends, box, hasLines: () => state.lines.length > 0 };
}
