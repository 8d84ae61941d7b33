// The surveys API as the console's surveys screen calls it (surveys, their scores, distribution and
// topics, the latest responses), typed by the feedback module's contract. The builder writes a survey's
// kind, triggers and definition in the contract's input shapes (before the server's defaults).
import type {
  Response,
  ScoreCount,
  ScoreRow,
  Survey as SurveyOut,
  SurveyDefinitionInput,
  SurveyInput,
  SurveyKind,
  TopicCount,
  TriggerInput,
} from '../../../src/modules/feedback/contract.js';
import { api, get, qs } from '../../shared/api.js';

export type { ScoreRow, SurveyKind } from '../../../src/modules/feedback/contract.js';
export type Trigger = TriggerInput;
export type Definition = SurveyDefinitionInput;
export type Question = Definition['questions'][number];
export type Localized = Question['text'];
/** A survey as the console lists, opens and edits it. */
export type Survey = Pick<SurveyOut, 'id' | 'name' | 'status' | 'current_version' | 'throttle_days' | 'touchpoint'> & {
  kind: SurveyKind;
  channel: NonNullable<SurveyInput['channel']>;
  triggers: Trigger[];
  definition?: Definition;
};
type SurveyPatch = Partial<Omit<SurveyInput, 'kind'>> & { status?: 'active' | 'paused' | 'archived' };
type MeasureQuery = { kind?: 'nps' | 'csat' | 'ces'; survey_id?: string; bucket?: 'week' };

const path = (id: string) => `/v1/surveys/${encodeURIComponent(id)}`;

export const listSurveys = () => get<{ data: Survey[] }>('/v1/surveys');
export const getSurvey = (id: string) => get<Survey>(path(id));
export const createSurvey = (body: SurveyInput) => api<Survey>('POST', '/v1/surveys', body);
export const updateSurvey = (id: string, patch: SurveyPatch) => api<Survey>('PATCH', path(id), patch);
export const measureScores = (q: MeasureQuery) => get<{ data: ScoreRow[] }>(`/v1/feedback/measures${qs(q)}`);
export const scoreDistribution = (q: MeasureQuery) => get<{ data: ScoreCount[] }>(`/v1/feedback/distribution${qs(q)}`);
export const topicsBySentiment = () => get<{ data: TopicCount[] }>('/v1/feedback/topics');
export const listResponses = (q: { survey_id?: string; customer_id?: string; limit: number }) => get<{ data: Response[] }>(`/v1/survey-responses${qs(q)}`);
