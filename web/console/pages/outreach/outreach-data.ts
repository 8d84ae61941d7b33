// What the outreach screens read from /v1/outreach, and the queries more than one tab shares.
import { useQuery } from '@tanstack/react-query';
import { get } from '../../../shared/api.js';

export type Purpose = 'transactional' | 'service' | 'marketing';
export const PURPOSES: Purpose[] = ['transactional', 'service', 'marketing'];

interface EmailContent { subject: string; html: string; text: string }
export type LocaleContent = { email?: EmailContent; sms?: { text: string }; [channel: string]: unknown };
export interface Template {
  id: string; name: string; purpose: Purpose; default_locale: string; content: Record<string, LocaleContent>; channels: string[];
  variables?: { name: string; required: boolean; description?: string }[]; created_at: string; updated_at: string;
}
export interface Segment { id: string; name: string; rules: unknown; created_at: string }
export interface PlanStats { segment?: number; queued?: number; deferred?: number; suppressed?: number; dropped?: Record<string, number>; skipped?: Record<string, number>; by_channel?: Record<string, number> }
export interface Campaign { id: string; name: string; segment_id: string; template_id: string; status: string; planned_at: string | null; stats: PlanStats; created_at: string }
export interface Journey { id: string; name: string; trigger: string; steps: unknown[]; exit_on: string[]; is_active: boolean; enrollments: Record<string, number>; created_at: string }

export const useTemplates = () => useQuery({ queryKey: ['outreach-templates'], queryFn: () => get<{ data: Template[] }>('/v1/outreach/templates') });
export const useSegments = () => useQuery({ queryKey: ['outreach-segments'], queryFn: () => get<{ data: Segment[] }>('/v1/outreach/segments') });
