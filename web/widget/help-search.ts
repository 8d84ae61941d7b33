import type { HelpSearchOut } from '../../src/modules/widget/contract.js';
import type { Visitor } from './chat.js';
import { el } from './dom.js';
import type { Strings } from './strings.js';

type HelpHit = HelpSearchOut['results'][number];

// The help centre searched before a chat, results inline. "Still need help" hands over to the chat
// (or the feedback form) and tells Rapport the search did not answer the visitor: a content gap the
// knowledge module counts as followed by a chat. No language is sent: the server reads Chinese from
// the query's script, else the browser's Accept-Language.
export function createHelpSearch(base: string, key: string, s: Strings, visitor: () => Visitor | undefined, onStill: (searchId: string | null) => void) {
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
        method: 'POST',
        mode: 'cors',
        credentials: 'omit',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ key, q, ...visitor() }),
      });
      if (!res.ok) throw new Error(String(res.status));
      const r = (await res.json()) as { search_id: string | null; results: HelpHit[] };
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
