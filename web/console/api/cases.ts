// The loop's cases and improvement actions as the console calls them, typed by the loop module's contract.
import type { Case, CaseDetail, FixIssue, FixIssueOut, IssueDetail, IssueList, NewIssue, TeamLoopMetrics } from '../../../src/modules/loop/contract.js';
import { api, get } from '../../shared/api.js';

export type { Case, CaseDetail, CaseStatus, TeamLoopMetrics } from '../../../src/modules/loop/contract.js';
export type IssueWithCount = IssueList['data'][number];

export const listCases = (q = '?limit=200') => get<{ data: Case[] }>(`/v1/cases${q}`);
/** A case, its activity worded by the server in `language` (the console's). */
export const getCase = (id: string, language: 'en' | 'zh-CN' | 'zh-TW') => get<CaseDetail>(`/v1/cases/${encodeURIComponent(id)}?language=${language}`);
export const openCase = (body: { summary: string; team?: string }) => api<{ id: string }>('POST', '/v1/cases', body);
export const listIssues = () => get<IssueList>('/v1/loop-issues');
export const createIssue = (body: NewIssue) => api<IssueDetail>('POST', '/v1/loop-issues', body);
export const fixIssue = (id: string, action: string) =>
  api<FixIssueOut>('POST', `/v1/loop-issues/${encodeURIComponent(id)}/fix`, { action } satisfies FixIssue);
export const caseMetrics = () => get<{ data: TeamLoopMetrics[] }>('/v1/case-metrics');
