// The analytics API as the console's dashboard calls it: each measure's figures for the filters, and a
// refresh of the roll-ups, typed by the analytics module's contract (which names what every answer
// carries, and spells out the figures of experience, loop and programme; the other measures' own
// figures are left open there and read by the dashboard's cards).
import type { Answer, CustomerChurnRisk } from '../../../src/modules/analytics/contract.js';
import { api, get, qs } from '../../shared/api.js';

export type { Answer, CustomerChurnRisk, ExperienceAnswer, LoopAnswer, ProgrammeAnswer } from '../../../src/modules/analytics/contract.js';

export const getMeasure = (measure: string, filters: Record<string, string | undefined>) =>
  get<Answer>(`/v1/analytics/${encodeURIComponent(measure)}${qs(filters)}`);
export const refreshAnalytics = () => api<unknown>('POST', '/v1/analytics/refresh');
/** The measure's figures as CSV, for a download link. */
export const measureCsvUrl = (measure: string, filters: Record<string, string | undefined>) =>
  `/v1/analytics/${encodeURIComponent(measure)}${qs({ ...filters, format: 'csv' })}`;
/** One customer's churn risk as of the last refresh, and the features that move it most. */
export const getChurnRisk = (customerId: string) => get<CustomerChurnRisk>(`/v1/analytics/churn-risk/customers/${encodeURIComponent(customerId)}`);
