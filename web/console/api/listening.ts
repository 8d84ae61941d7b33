// The listening API as the console calls it (mentions, the watch-list, crisis alerts, trends), typed by
// the listening module's contract.
import type { Alert, Angle, Mention, MentionQuery, SentimentTrend, ShareOfVoice, WatchTerm } from '../../../src/modules/listening/contract.js';
import { api, get, qs } from '../../shared/api.js';
import { everyOf } from '../../shared/contract.js';

export type { Alert, Angle, Mention, WatchTerm } from '../../../src/modules/listening/contract.js';

export const ANGLES = everyOf<Angle>()([
  'company',
  'brand',
  'product',
  'executive',
  'spokesperson',
  'slogan',
  'competitor',
  'industry',
  'weakness',
  'partner',
  'key_customer',
  'ip',
]);

export const listMentions = (q: Partial<Record<keyof MentionQuery, string | number | undefined>>) =>
  get<{ data: Mention[]; next_cursor: string | null }>(`/v1/listening/mentions${qs(q)}`);
export const listWatchTerms = () => get<{ data: WatchTerm[] }>('/v1/listening/watch-terms');
export const addWatchTerm = (body: { angle: string; term: string; aliases: string[] }) => api<WatchTerm>('POST', '/v1/listening/watch-terms', body);
export const removeWatchTerm = (id: string) => api<void>('DELETE', `/v1/listening/watch-terms/${encodeURIComponent(id)}`);
export const listAlerts = () => get<{ data: Alert[] }>('/v1/listening/alerts');
export const sentimentTrend = () => get<SentimentTrend>('/v1/listening/sentiment-trend?bucket=day');
export const shareOfVoice = () => get<ShareOfVoice>('/v1/listening/share-of-voice');
