// The analytics API as the console's dashboard calls it: each measure's figures for the filters, and a
// refresh of the roll-ups, typed by the analytics module's contract (which names what every answer
// carries; a measure's own figures are left open there and read by the dashboard's cards).
import type { Answer } from '../../../src/modules/analytics/contract.js';
import { api, get, qs } from '../../shared/api.js';

export type { Answer } from '../../../src/modules/analytics/contract.js';

export const getMeasure = (measure: string, filters: Record<string, string | undefined>) =>
  get<Answer>(`/v1/analytics/${encodeURIComponent(measure)}${qs(filters)}`);
export const refreshAnalytics = () => api<unknown>('POST', '/v1/analytics/refresh');
/** The measure's figures as CSV, for a download link. */
export const measureCsvUrl = (measure: string, filters: Record<string, string | undefined>) =>
  `/v1/analytics/${encodeURIComponent(measure)}${qs({ ...filters, format: 'csv' })}`;
