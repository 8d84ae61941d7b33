// The Rapport widget: <script src="https://rapport.example.com/widget.js" data-key="wpk...." async>.
// It draws a launcher and a panel (chat and feedback) inside a shadow root, so the host page's
// CSS cannot reach in and ours cannot leak out. No framework: it must stay small on every page.
import { startChat, type Visitor } from './chat.js';
import { el } from './dom.js';
import { createHelpSearch } from './help-search.js';
import { STRINGS } from './strings.js';
import { ICON, WIDGET_CSS } from './styles.js';
import { createSurveyPopIn } from './survey-pop-in.js';

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
  const chat = script.dataset.chat
    ? startChat(
        chatBody,
        base,
        script.dataset.chat,
        s,
        createSurveyPopIn(root, base, lang, s, () => {
          const wasOpen = !panel.hidden;
          panel.hidden = true;
          launcher.setAttribute('aria-expanded', 'false');
          return wasOpen;
        }),
      )
    : undefined;
  if (!chat) chatBody.append(el('p', {}, s.chatSoon));
  const escalate = (searchId: string, v?: Visitor) =>
    fetch(`${base}/v1/widget/help-searches/${encodeURIComponent(searchId)}/chat`, {
      method: 'POST',
      mode: 'cors',
      credentials: 'omit',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ key, ...v }),
    }).catch(() => undefined);
  const help = createHelpSearch(
    base,
    key,
    s,
    () => chat?.visitor(),
    (searchId) => {
      help.hidden = true;
      if (chat) {
        chat.box.hidden = false;
        chat.box.querySelector('textarea')?.focus();
        // With the visitor's id the chat they are about to start is linked to the search too; their
        // first message waits for that, so the chat finds the search marked. The wait starts now: a
        // message typed before the chat's server has named the visitor would otherwise leave as soon as
        // the socket opens, ahead of the mark.
        if (searchId) chat.holdSends(new Promise((done) => chat.whenVisitor((v) => void escalate(searchId, v).then(done))));
      } else {
        if (searchId) void escalate(searchId);
        selectTab(false);
      }
    },
  );
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
    input.addEventListener('change', () => {
      rating = n;
      labels.forEach((l, i) => {
        l.classList.toggle('on', i < n);
      });
    });
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
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') setOpen(false);
  });

  // One key per piece of feedback, kept until it is stored: sending it again after an answer lost on the
  // way stores it once. New words or a new rating are a new piece of feedback, with a new key.
  let pending: { what: string; key: string } | undefined;
  const submissionKeyFor = (what: string) => {
    if (pending?.what !== what) {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      pending = { what, key: `wsk_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}` };
    }
    return pending.key;
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!text.value.trim()) return;
    const submissionKey = submissionKeyFor(JSON.stringify([text.value.trim(), rating]));
    send.disabled = true;
    send.textContent = s.sending;
    note.className = 'note';
    note.textContent = '';
    const visitor = chat?.visitor();
    try {
      // text/plain keeps this a CORS "simple request": no preflight round trip from the customer's site.
      const res = await fetch(`${base}/v1/widget/feedback`, {
        method: 'POST',
        mode: 'cors',
        credentials: 'omit',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({
          key,
          text: text.value.trim(),
          page_url: location.href.slice(0, 2000),
          ...(rating ? { rating } : {}),
          ...visitor,
          submission_key: submissionKey,
        }),
      });
      if (!res.ok) throw new Error(String(res.status));
      pending = undefined;
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
