// What a survey asks: typed questions with localized texts, required flags and simple branching
// ("show B if A is ..."), and the checks every submitted answer set goes through.
import { z } from '../../platform/validation.js';
import type { FieldProblem } from '../../platform/errors.js';

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

const Text = z.string().trim().min(1).max(2000);
/** One text for every language, or texts by language (at least one of en and zh-CN). */
export const Localized = z.union([
  Text,
  z
    .object({ en: Text.optional(), 'zh-CN': Text.optional() })
    .strict()
    .refine((t) => t.en !== undefined || t['zh-CN'] !== undefined, 'needs an en or a zh-CN text'),
]);
export type Localized = z.infer<typeof Localized>;

export const QUESTION_TYPES = ['nps', 'csat', 'ces', 'rating', 'single_choice', 'multiple_choice', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** Fixed scales: NPS 0-10 (promoters 9-10, detractors 0-6), CSAT 1-5 (5 best), CES 1-7 (1 very easy, best; 7 very difficult). */
export const SCALES: Record<'nps' | 'csat' | 'ces', { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
};

const QuestionId = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower_snake_case, up to 40 characters');
const OptionValue = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be lower-case letters, digits, - or _');

export const ShowIf = z
  .object({
    question: QuestionId,
    equals: z.union([z.number(), OptionValue]).optional(),
    in: z
      .array(z.union([z.number(), OptionValue]))
      .max(50)
      .optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict();
export type ShowIf = z.infer<typeof ShowIf>;

export const Question = z
  .object({
    key: QuestionId,
    type: z.enum(QUESTION_TYPES),
    text: Localized,
    required: z.boolean().default(false),
    /** rating only: the scale, 1-5 unless given. */
    scale: z
      .object({ min: z.number().int().min(0).max(10), max: z.number().int().min(1).max(10) })
      .strict()
      .optional(),
    options: z
      .array(z.object({ value: OptionValue, text: Localized }).strict())
      .max(50)
      .optional(),
    show_if: ShowIf.optional(),
  })
  .strict();
export type Question = z.infer<typeof Question>;

export const SurveyDefinition = z
  .object({
    title: Localized,
    intro: Localized.optional(),
    thanks: Localized.optional(),
    default_language: z.enum(LANGUAGES).default('en'),
    questions: z.array(Question).min(1).max(50),
  })
  .strict();
export type SurveyDefinition = z.infer<typeof SurveyDefinition>;

export type Answers = Record<string, number | string | string[]>;
export const AnswersInput = z
  .record(QuestionId, z.union([z.number(), z.string().max(5000), z.array(z.string().max(40)).max(50)]))
  .refine((a) => Object.keys(a).length <= 50, 'at most 50 answers');

/** Problems with the definition itself that a schema cannot see: ids, options, scales, branching order. */
export function checkDefinition(def: SurveyDefinition): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Map<string, Question>();
  def.questions.forEach((q, i) => {
    const at = `definition.questions[${i}]`;
    if (seen.has(q.key)) problems.push({ field: `${at}.key`, message: `repeats question key "${q.key}"` });
    const isChoice = q.type === 'single_choice' || q.type === 'multiple_choice';
    if (isChoice && !q.options?.length) problems.push({ field: `${at}.options`, message: 'a choice question needs options' });
    if (!isChoice && q.options) problems.push({ field: `${at}.options`, message: 'only choice questions have options' });
    if (q.options && new Set(q.options.map((o) => o.value)).size !== q.options.length)
      problems.push({ field: `${at}.options`, message: 'repeats an option value' });
    if (q.scale && q.type !== 'rating') problems.push({ field: `${at}.scale`, message: 'only rating questions take a scale' });
    if (q.scale && q.scale.min >= q.scale.max) problems.push({ field: `${at}.scale`, message: 'min must be below max' });
    if (q.show_if) {
      // Branching looks back only, so a survey can always be shown top to bottom.
      if (!seen.has(q.show_if.question)) problems.push({ field: `${at}.show_if.question`, message: 'must name an earlier question' });
      const c = q.show_if;
      if (c.equals === undefined && c.in === undefined && c.min === undefined && c.max === undefined)
        problems.push({ field: `${at}.show_if`, message: 'needs equals, in, min or max' });
    }
    seen.set(q.key, q);
  });
  return problems;
}

export function scaleOf(q: Question): { min: number; max: number } | undefined {
  if (q.type === 'nps' || q.type === 'csat' || q.type === 'ces') return SCALES[q.type];
  if (q.type === 'rating') return q.scale ?? { min: 1, max: 5 };
  return undefined;
}

function conditionHolds(c: ShowIf, answer: Answers[string] | undefined): boolean {
  if (answer === undefined) return false;
  const values = Array.isArray(answer) ? answer : [answer];
  return values.some(
    (v) =>
      (c.equals === undefined || v === c.equals) &&
      (c.in === undefined || c.in.includes(v)) &&
      (c.min === undefined || (typeof v === 'number' && v >= c.min)) &&
      (c.max === undefined || (typeof v === 'number' && v <= c.max)),
  );
}

/** The questions a respondent sees given the answers so far. */
export function visibleQuestions(def: SurveyDefinition, answers: Answers): Question[] {
  const shown = new Set<string>();
  const out: Question[] = [];
  for (const q of def.questions) {
    if (q.show_if && !(shown.has(q.show_if.question) && conditionHolds(q.show_if, answers[q.show_if.question]))) continue;
    shown.add(q.key);
    out.push(q);
  }
  return out;
}

export interface CheckedAnswers {
  answers: Answers;
  problems: FieldProblem[];
  /** The headline score: the first question of the survey's kind. */
  score: number | null;
  /** Every open-text answer, joined: what the text module reads. */
  openText: string | null;
  isComplete: boolean;
}

/** Checks answers against the version they answer: types, ranges, options, required and branching. */
export function checkAnswers(def: SurveyDefinition, kind: string, answers: Answers, opts: { isPartial: boolean }): CheckedAnswers {
  const problems: FieldProblem[] = [];
  const byId = new Map(def.questions.map((q) => [q.key, q]));
  for (const id of Object.keys(answers)) if (!byId.has(id)) problems.push({ field: `answers.${id}`, message: 'is not a question of this survey version' });
  const visible = visibleQuestions(def, answers);
  const visibleIds = new Set(visible.map((q) => q.key));
  const kept: Answers = {};
  for (const q of def.questions) {
    const a = answers[q.key];
    const field = `answers.${q.key}`;
    if (a === undefined || a === '' || (Array.isArray(a) && a.length === 0)) {
      if (visibleIds.has(q.key) && q.required && !opts.isPartial) problems.push({ field, message: 'is required' });
      continue;
    }
    if (!visibleIds.has(q.key)) {
      problems.push({ field, message: 'is not asked given the earlier answers' });
      continue;
    }
    const scale = scaleOf(q);
    if (scale) {
      if (typeof a !== 'number' || !Number.isInteger(a) || a < scale.min || a > scale.max)
        problems.push({ field, message: `must be a whole number from ${scale.min} to ${scale.max}` });
      else kept[q.key] = a;
    } else if (q.type === 'single_choice') {
      if (typeof a !== 'string' || !q.options!.some((o) => o.value === a))
        problems.push({ field, message: `must be one of ${q.options!.map((o) => o.value).join(', ')}` });
      else kept[q.key] = a;
    } else if (q.type === 'multiple_choice') {
      const values = Array.isArray(a) ? a : undefined;
      if (!values || values.some((v) => !q.options!.some((o) => o.value === v)) || new Set(values).size !== values.length)
        problems.push({ field, message: `must be a list of distinct values among ${q.options!.map((o) => o.value).join(', ')}` });
      else kept[q.key] = values;
    } else if (typeof a !== 'string') {
      problems.push({ field, message: 'must be text' });
    } else if (a.includes('\u0000')) {
      problems.push({ field, message: 'must not contain NUL characters' });
    } else {
      kept[q.key] = a.trim();
    }
  }
  const headline = def.questions.find((q) => q.type === kind);
  const score = headline && typeof kept[headline.key] === 'number' ? (kept[headline.key] as number) : null;
  const texts = def.questions
    .filter((q) => q.type === 'text' && typeof kept[q.key] === 'string' && (kept[q.key] as string).length)
    .map((q) => kept[q.key] as string);
  const isComplete = visible.every((q) => !q.required || kept[q.key] !== undefined);
  return { answers: kept, problems, score, openText: texts.length ? texts.join('\n\n') : null, isComplete };
}

/** The customer's language when the survey has it, else the survey's default. */
export function chooseLanguage(preferred: (string | null | undefined)[], def: SurveyDefinition): Language {
  for (const tag of preferred) {
    if (!tag) continue;
    const t = tag.toLowerCase();
    if (t.startsWith('zh')) return 'zh-CN';
    if (t.startsWith('en')) return 'en';
  }
  return def.default_language;
}

export function localize(t: Localized | undefined, lang: Language): string {
  if (!t) return '';
  if (typeof t === 'string') return t;
  const texts = t as { en?: string; 'zh-CN'?: string };
  return texts[lang] ?? texts.en ?? texts['zh-CN'] ?? '';
}
