// The outreach API as the console calls it (templates and previews, segments, campaigns, journeys,
// settings), typed by the outreach module's contract. Where the contract leaves a field open (a
// template's content, a campaign's plan figures), the type here names what the console reads of it.
import { useQuery } from '@tanstack/react-query';
import type {
  CampaignDetail,
  CampaignOut,
  CampaignPlanStats,
  JourneyOut,
  OutreachSettingsInput,
  OutreachSettingsOut,
  PreviewBody,
  SegmentOut,
  TemplateOut,
  TemplatePreview,
} from '../../../src/modules/outreach/contract.js';
import type { Purpose } from '../../../src/modules/customers/contract.js';
import { api, get } from '../../shared/api.js';
export { PURPOSES } from '../../shared/channels.js';

export type { Purpose };

interface EmailContent {
  subject: string;
  html: string;
  text: string;
}
export type LocaleContent = { email?: EmailContent; sms?: { text: string }; [channel: string]: unknown };
export type Template = Omit<TemplateOut, 'purpose' | 'content'> & { purpose: Purpose; content: Record<string, LocaleContent> };
export type Segment = SegmentOut;
export type PlanStats = CampaignPlanStats;
export type Campaign = CampaignOut;
export type Journey = JourneyOut;

export const listTemplates = () => get<{ data: Template[] }>('/v1/outreach/templates');
export const saveTemplate = (id: string | undefined, body: unknown) =>
  id ? api<Template>('PUT', `/v1/outreach/templates/${encodeURIComponent(id)}`, body) : api<Template>('POST', '/v1/outreach/templates', body);
export const previewTemplate = (id: string, body: PreviewBody) =>
  api<TemplatePreview>('POST', `/v1/outreach/templates/${encodeURIComponent(id)}/preview`, body);
export const listSegments = () => get<{ data: Segment[] }>('/v1/outreach/segments');
export const countSegment = (rules: unknown) => api<{ count: number }>('POST', '/v1/outreach/segments/preview', { rules });
export const createSegment = (name: string, rules: unknown) => api<{ id: string }>('POST', '/v1/outreach/segments', { name, rules });
export const listCampaigns = () => get<{ data: Campaign[] }>('/v1/outreach/campaigns');
export const getCampaign = (id: string) => get<CampaignDetail>(`/v1/outreach/campaigns/${encodeURIComponent(id)}`);
export const createCampaign = (body: { name: string; segment_id: string; template_id: string }) => api<{ id: string }>('POST', '/v1/outreach/campaigns', body);
export const planCampaign = (id: string) => api<Campaign>('POST', `/v1/outreach/campaigns/${encodeURIComponent(id)}/plan`);
export const listJourneys = () => get<{ data: Journey[] }>('/v1/outreach/journeys');
export const setJourneyActive = (id: string, isActive: boolean) =>
  api<Journey>('PATCH', `/v1/outreach/journeys/${encodeURIComponent(id)}`, { is_active: isActive });
export type { OutreachSettingsOut };
export const getSettings = () => get<OutreachSettingsOut>('/v1/outreach/settings');
export const putSettings = (body: OutreachSettingsInput) => api<OutreachSettingsOut>('PUT', '/v1/outreach/settings', body);

export const useTemplates = () => useQuery({ queryKey: ['outreach-templates'], queryFn: listTemplates });
export const useSegments = () => useQuery({ queryKey: ['outreach-segments'], queryFn: listSegments });
