// A response checked before any transaction, so that many can be written in one commit
// (insert-responses.ts, write-response-batches.ts).
import { newId } from '../../platform/ids.js';
import { checkAnswers, type Answers } from './survey-definition.js';
import { invalidAnswers, surveyNotActive } from './errors.js';
import { storedResponse, type StoredResponse, type SubmitInput, type SurveyForSubmit } from './submit-response.js';

/**
 * A response that needs nothing earlier to merge with (no invitation; a submission key seen for the
 * first time) checked before any transaction, so that many of them can be written in one commit.
 */
export function prepareResponse(survey: SurveyForSubmit, input: SubmitInput): { row: PreparedResponse; stored: StoredResponse } {
  if (survey.status !== 'active') throw surveyNotActive();
  const checked = checkAnswers(survey.definition, survey.kind, input.answers, { isPartial: input.isPartial });
  if (checked.problems.length) throw invalidAnswers('Some answers are not valid; nothing was stored', checked.problems);
  const status = input.isPartial || !checked.isComplete ? 'partial' : 'complete';
  const id = newId('rsp');
  const row: PreparedResponse = { id, status, survey, input, answers: checked.answers, score: checked.score, openText: checked.openText };
  return { row, stored: storedResponse(id, status, survey, input, checked) };
}

export interface PreparedResponse {
  id: string;
  status: 'partial' | 'complete';
  survey: SurveyForSubmit;
  input: SubmitInput;
  answers: Answers;
  score: number | null;
  openText: string | null;
  /** The text module's reading, when it was made before the write. */
  analysis?: { sentiment: string; topics: string[]; topicSentiments: Record<string, string> };
  /** The customer id came from the client: it must name an active customer (a merged one is followed to its survivor). */
  checkCustomer?: boolean;
}
