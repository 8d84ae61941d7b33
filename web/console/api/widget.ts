// The widget API as the console's settings call it (the key and allowed sites, the feedback left
// through the widget), typed by the widget module's contract.
import type { FeedbackOut, Settings } from '../../../src/modules/widget/contract.js';
import { api, get } from '../../shared/api.js';

export type { FeedbackOut as WidgetFeedback, Settings as WidgetSettings } from '../../../src/modules/widget/contract.js';

export const getWidgetSettings = () => get<Settings>('/v1/widget/settings');
export const saveWidgetSettings = (body: { allowed_origins: string[]; rotate_key: boolean }) => api<Settings>('PUT', '/v1/widget/settings', body);
export const listWidgetFeedback = (limit: number) => get<{ data: FeedbackOut[]; next_cursor: string | null }>(`/v1/widget/feedback?limit=${limit}`);
