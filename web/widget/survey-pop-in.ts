import type { WidgetSurvey } from '../../src/modules/feedback/contract.js';
import { el, remember, stored } from './dom.js';
import type { Strings } from './strings.js';

type Both = WidgetSurvey['title'];
type SurveyQuestion = WidgetSurvey['questions'][number];
type ShowIf = NonNullable<SurveyQuestion['show_if']>;
/** A survey the feedback module asks in the widget: texts in both languages and the signed token its answer goes back with. */
export type SurveyFrame = WidgetSurvey;

// The survey pop-in: one card above the launcher with the survey's questions (scales as buttons,
// choices, text), answered through the feedback module's signed link. Answered surveys are remembered
// so a repeated frame is not shown again; "Not now" hides one for the rest of the visit.
export function createSurveyPopIn(root: ShadowRoot, base: string, lang: 'en' | 'zh', s: Strings, onShow: () => boolean) {
  const DONE = 'rapport.surveys.done';
  const LATER = 'rapport.surveys.later';
  const local = (() => {
    try {
      return localStorage;
    } catch {
      return undefined;
    }
  })();
  const session = (() => {
    try {
      return sessionStorage;
    } catch {
      return undefined;
    }
  })();
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
      return (
        a !== undefined &&
        (Array.isArray(a) ? a : [a]).some(
          (v) =>
            (c.equals === undefined || v === c.equals) &&
            (c.in === undefined || c.in.includes(v)) &&
            (c.min === undefined || (typeof v === 'number' && v >= c.min)) &&
            (c.max === undefined || (typeof v === 'number' && v <= c.max)),
        )
      );
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
      const choices: [string | number, string][] =
        q.min !== undefined && q.max !== undefined
          ? Array.from({ length: q.max - q.min + 1 }, (_, i) => [q.min! + i, s.of.replace('{n}', String(q.min! + i)).replace('{max}', String(q.max))])
          : (q.options ?? []).map((o) => [o.value, pick(o.text)]);
      if (q.type === 'text') {
        const area = el('textarea', { maxlength: '2000', 'aria-label': pick(q.text) });
        area.addEventListener('input', () => {
          answers[q.key] = area.value;
        });
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
              for (const x of buttons) x.setAttribute('aria-pressed', String(x === b));
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

    const hide = () => {
      pop.remove();
      current = undefined;
    };
    const dismiss = () => {
      remember(session, LATER, f.invitation_id);
      hide();
    };
    close.addEventListener('click', dismiss);
    later.addEventListener('click', dismiss);
    pop.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') dismiss();
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const visible = blocks.filter(([, box]) => !box.hidden).map(([q]) => q);
      const given = Object.fromEntries(
        visible.filter((q) => answers[q.key] !== undefined && String(answers[q.key]).trim() !== '').map((q) => [q.key, answers[q.key]]),
      );
      note.className = 'note bad';
      if (visible.some((q) => q.required && given[q.key] === undefined)) {
        note.textContent = s.required;
        return;
      }
      send.disabled = true;
      send.textContent = s.sending;
      note.textContent = '';
      try {
        // text/plain keeps this a CORS "simple request", as the feedback button's posts.
        const res = await fetch(`${base}/s/${encodeURIComponent(f.token)}`, {
          method: 'POST',
          mode: 'cors',
          credentials: 'omit',
          headers: { 'content-type': 'text/plain' },
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
