import { useTranslation } from 'react-i18next';
import { Card } from '../../../shared/ui.js';
import { type Definition, SCALES, textIn } from './survey-model.js';

/** The survey as a customer would see it, in one language (the hosted page renders the same definition). */
export function SurveyPreview({ def, lang }: { def: Definition; lang: 'en' | 'zh-CN' }) {
  const { t } = useTranslation();
  const name = lang === 'en' ? 'English' : '简体中文';
  return (
    <Card title={t('surveys.previewIn', { lang: name })} className="survey-preview">
      <div lang={lang} data-preview={lang}>
        <h3>{textIn(def.title, lang)}</h3>
        {def.questions.map((q) => {
          const [min, max] = q.type === 'rating' ? [q.scale?.min ?? 1, q.scale?.max ?? 5] : q.type in SCALES ? SCALES[q.type as keyof typeof SCALES] : [0, -1];
          return (
            <div key={q.key} className="field">
              <p className="preview-q">
                {textIn(q.text, lang)}
                {q.required && ' *'}
              </p>
              {max >= min && (
                <div className="scale" aria-hidden="true">
                  {Array.from({ length: max - min + 1 }, (_, k) => (
                    <span key={k} className="scale-pt">
                      {min + k}
                    </span>
                  ))}
                </div>
              )}
              {q.options && (
                <ul className="plain">
                  {q.options.map((o) => (
                    <li key={o.value}>
                      {q.type === 'single_choice' ? '◯' : '☐'} {textIn(o.text, lang)}
                    </li>
                  ))}
                </ul>
              )}
              {q.type === 'text' && <div className="preview-text" />}
            </div>
          );
        })}
      </div>
    </Card>
  );
}
