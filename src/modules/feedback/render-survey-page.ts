// The hosted survey page: server-rendered, works on a phone, in the customer's language (zh-CN or
// en). The questions travel as JSON; a small script shows branching and posts the answers.
import { localize, visibleQuestions, type Answers, type Language, type SurveyDefinition } from './survey-definition.js';

const UI: Record<Language, Record<string, string>> = {
  en: {
    submit: 'Send',
    required: 'Please answer this question',
    thanks: 'Thank you for your feedback.',
    error: 'Something went wrong. Please try again.',
    unlikely: 'Not at all likely',
    likely: 'Extremely likely',
    saved: 'Your answers so far are saved.',
    easy: '1 = Very easy',
    hard: '7 = Very difficult',
    effortGood: 'Lower is better: 1 means it took no effort at all.',
    unsatisfied: '1 = Very dissatisfied',
    satisfied: '5 = Very satisfied',
  },
  'zh-CN': {
    submit: '提交',
    required: '请回答此问题',
    thanks: '感谢您的反馈！',
    error: '出错了，请重试。',
    unlikely: '完全不可能',
    likely: '非常可能',
    saved: '您已填写的答案已保存。',
    easy: '1 = 非常容易',
    hard: '7 = 非常困难',
    effortGood: '分数越低越好：1 表示毫不费力。',
    unsatisfied: '1 = 非常不满意',
    satisfied: '5 = 非常满意',
  },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** JSON inside a <script> element: "<" escaped so no "</script>" can close it early. */
const scriptJson = (v: unknown) =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export function renderSurveyPage(def: SurveyDefinition, lang: Language, opts: { postUrl: string; answers?: Answers; pageUrl?: string }): string {
  const t = UI[lang];
  const questions = def.questions.map((q) => ({
    id: q.key,
    type: q.type,
    required: q.required,
    text: localize(q.text, lang),
    show_if: q.show_if ?? null,
    scale:
      q.type === 'nps' ? [0, 10] : q.type === 'csat' ? [1, 5] : q.type === 'ces' ? [1, 7] : q.type === 'rating' ? [q.scale?.min ?? 1, q.scale?.max ?? 5] : null,
    options: q.options?.map((o) => ({ value: o.value, text: localize(o.text, lang) })) ?? null,
  }));
  const shown = new Set(visibleQuestions(def, opts.answers ?? {}).map((q) => q.key));
  const blocks = questions
    .map((q) => {
      let input = '';
      if (q.scale) {
        const [min, max] = q.scale;
        const buttons = Array.from({ length: max - min + 1 }, (_, i) => min + i)
          .map((v) => `<label class="pill"><input type="radio" name="${q.id}" value="${v}"><span>${v}</span></label>`)
          .join('');
        // Every fixed scale names both ends, so a 1 is never read as "first place". CES runs the other way
        // from the rest, 1 (very easy) to 7 (very difficult), the way the measures and agent hints read it
        // (5 or more is a poor experience), so its page also says which way is good.
        const ends =
          q.type === 'nps' ? [t.unlikely, t.likely] : q.type === 'csat' ? [t.unsatisfied, t.satisfied] : q.type === 'ces' ? [t.easy, t.hard] : undefined;
        input =
          `<div class="scale">${buttons}</div>${ends ? `<div class="ends"><span>${escapeHtml(ends[0])}</span><span>${escapeHtml(ends[1])}</span></div>` : ''}` +
          (q.type === 'ces' ? `<p class="hint">${escapeHtml(t.effortGood)}</p>` : '');
      } else if (q.options) {
        const kind = q.type === 'multiple_choice' ? 'checkbox' : 'radio';
        input = q.options
          .map((o) => `<label class="opt"><input type="${kind}" name="${q.id}" value="${escapeHtml(o.value)}"> ${escapeHtml(o.text)}</label>`)
          .join('');
      } else {
        input = `<textarea name="${q.id}" rows="4" maxlength="5000"></textarea>`;
      }
      return `<fieldset id="q-${q.id}" data-q="${q.id}"${shown.has(q.id) ? '' : ' hidden'}><legend>${escapeHtml(q.text)}${q.required ? ' <b aria-hidden="true">*</b>' : ''}</legend>${input}<p class="err" hidden>${escapeHtml(t.required)}</p></fieldset>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(localize(def.title, lang))}</title>
<style>
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;padding:16px;color:#1a1a1a;background:#fafafa}
main{max-width:560px;margin:0 auto}
h1{font-size:1.3rem}
fieldset{border:0;background:#fff;border-radius:8px;margin:0 0 12px;padding:12px 14px;box-shadow:0 1px 2px #0001}
legend{font-weight:600;padding:0;margin-bottom:8px;float:left;width:100%}
.scale{display:flex;flex-wrap:wrap;gap:4px;clear:both}
.pill input{position:absolute;opacity:0}
.pill span{display:inline-block;min-width:2.2em;padding:8px 0;text-align:center;border:1px solid #bbb;border-radius:6px}
.pill input:checked+span{background:#1f6feb;color:#fff;border-color:#1f6feb}
.ends{display:flex;justify-content:space-between;font-size:.8rem;color:#666;margin-top:4px}
.hint{font-size:.8rem;color:#666;margin:4px 0 0}
.opt{display:block;padding:6px 0;clear:both}
textarea{width:100%;box-sizing:border-box;font:inherit;clear:both}
button{font:inherit;padding:10px 24px;border:0;border-radius:6px;background:#1f6feb;color:#fff}
.err{color:#b00020;margin:4px 0 0}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(localize(def.title, lang))}</h1>
${def.intro ? `<p>${escapeHtml(localize(def.intro, lang))}</p>` : ''}
<form id="survey" novalidate>
${blocks}
<button type="submit">${escapeHtml(t.submit)}</button>
<p id="status" role="status"></p>
</form>
</main>
<script>
(function () {
  var questions = ${scriptJson(questions)};
  var postUrl = ${scriptJson(opts.postUrl)};
  var pageUrl = ${scriptJson(opts.pageUrl ?? null)};
  var lang = ${scriptJson(lang)};
  var texts = ${scriptJson({ thanks: def.thanks ? localize(def.thanks, lang) : t.thanks, error: t.error, saved: t.saved })};
  var form = document.getElementById('survey');
  function value(q) {
    if (q.type === 'multiple_choice') {
      var picked = Array.prototype.map.call(form.querySelectorAll('input[name="' + q.id + '"]:checked'), function (e) { return e.value; });
      return picked.length ? picked : undefined;
    }
    if (q.type === 'text') { var t = form.elements[q.id].value.trim(); return t || undefined; }
    var c = form.querySelector('input[name="' + q.id + '"]:checked');
    if (!c) return undefined;
    return q.scale ? Number(c.value) : c.value;
  }
  function holds(c, a) {
    if (a === undefined) return false;
    return [].concat(a).some(function (v) {
      return (c.equals === undefined || v === c.equals) && (c.in === undefined || c.in.indexOf(v) >= 0)
        && (c.min === undefined || v >= c.min) && (c.max === undefined || v <= c.max);
    });
  }
  function collect() {
    var answers = {}, shown = {};
    questions.forEach(function (q) {
      var visible = !q.show_if || (shown[q.show_if.question] && holds(q.show_if, answers[q.show_if.question]));
      document.getElementById('q-' + q.id).hidden = !visible;
      if (!visible) return;
      shown[q.id] = true;
      var v = value(q);
      if (v !== undefined) answers[q.id] = v;
    });
    return { answers: answers, shown: shown };
  }
  function send(partial) {
    var c = collect();
    return fetch(postUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, keepalive: true,
      body: JSON.stringify({ answers: c.answers, partial: partial, language: lang, page_url: pageUrl || undefined }) });
  }
  form.addEventListener('change', function () { collect(); });
  // Leaving half way keeps what was answered.
  var touched = false;
  form.addEventListener('input', function () { touched = true; });
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden' && touched) send(true); });
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var c = collect(), ok = true;
    questions.forEach(function (q) {
      var missing = c.shown[q.id] && q.required && c.answers[q.id] === undefined;
      document.querySelector('#q-' + q.id + ' .err').hidden = !missing;
      if (missing) ok = false;
    });
    if (!ok) return;
    send(false).then(function (r) {
      if (r.ok) { touched = false; form.innerHTML = '<p>' + texts.thanks.replace(/</g, '&lt;') + '</p>'; }
      else return r.json().then(function (p) { document.getElementById('status').textContent = p.detail || texts.error; });
    }).catch(function () { document.getElementById('status').textContent = texts.error; });
  });
  collect();
})();
</script>
</body>
</html>`;
}

export function renderMessagePage(lang: Language, title: string, message: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,-apple-system,"PingFang SC",sans-serif;padding:24px;max-width:560px;margin:0 auto}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
}

/** The page-button script: a floating button that opens the survey in a frame, telling it the page URL. */
export function feedbackButtonScript(): string {
  return `(function () {
  var me = document.currentScript;
  if (!me) return;
  var token = me.getAttribute('data-survey');
  if (!token) return;
  var origin = new URL(me.src).origin;
  var label = me.getAttribute('data-label') || ((navigator.language || '').toLowerCase().indexOf('zh') === 0 ? '反馈' : 'Feedback');
  var button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.setAttribute('style', 'position:fixed;right:16px;bottom:16px;z-index:2147483000;padding:10px 16px;border:0;border-radius:20px;background:#1f6feb;color:#fff;font:14px system-ui,sans-serif;box-shadow:0 2px 8px #0003;cursor:pointer');
  var frame;
  button.addEventListener('click', function () {
    if (frame) { frame.remove(); frame = null; return; }
    frame = document.createElement('iframe');
    frame.title = label;
    frame.src = origin + '/b/' + encodeURIComponent(token) + '?lang=' + encodeURIComponent(navigator.language || '') + '&page=' + encodeURIComponent(location.href.slice(0, 2000));
    frame.setAttribute('style', 'position:fixed;right:16px;bottom:64px;z-index:2147483000;width:min(380px,calc(100vw - 32px));height:min(560px,calc(100vh - 96px));border:0;border-radius:10px;background:#fff;box-shadow:0 4px 24px #0004');
    document.body.appendChild(frame);
  });
  (document.body ? Promise.resolve() : new Promise(function (r) { document.addEventListener('DOMContentLoaded', r); })).then(function () { document.body.appendChild(button); });
})();
`;
}
