// A survey as the widget's pop-in shows it: the questions of the invitation's version with their
// texts in both languages (the widget knows the visitor's language, the server may not), and the
// signed link token the answer goes back with, so it is stored like any answer to a link.
import { localize, scaleOf, type Localized, type SurveyDefinition } from './survey-definition.js';

type Both = { en: string; 'zh-CN': string };
const both = (t: Localized | undefined): Both => ({ en: localize(t, 'en'), 'zh-CN': localize(t, 'zh-CN') });

export type WidgetSurvey = {
  type: 'survey';
  invitation_id: string;
  token: string;
  kind: string;
  title: Both;
  intro: Both;
  thanks: Both;
  questions: {
    key: string;
    type: string;
    text: Both;
    required: boolean;
    min?: number;
    max?: number;
    options?: { value: string; text: Both }[];
    show_if?: SurveyDefinition['questions'][number]['show_if'];
  }[];
};

export function presentInWidget(def: SurveyDefinition, kind: string, invitationId: string, token: string): WidgetSurvey {
  return {
    type: 'survey',
    invitation_id: invitationId,
    token,
    kind,
    title: both(def.title),
    intro: both(def.intro),
    thanks: both(def.thanks),
    questions: def.questions.map((q) => {
      const scale = scaleOf(q);
      return {
        key: q.key,
        type: q.type,
        text: both(q.text),
        required: q.required,
        ...(scale ? { min: scale.min, max: scale.max } : {}),
        ...(q.options ? { options: q.options.map((o) => ({ value: o.value, text: both(o.text) })) } : {}),
        ...(q.show_if ? { show_if: q.show_if } : {}),
      };
    }),
  };
}
