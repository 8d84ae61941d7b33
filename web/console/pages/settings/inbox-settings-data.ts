// What the inbox's settings tabs read: channels, teams and agents, and the priorities SLA policies and
// routing rules are written for.

import { useQuery } from '@tanstack/react-query';
import { get } from '../../../shared/api.js';

export type Kind = 'webchat' | 'email' | 'sms' | 'whatsapp' | 'wechat' | 'api';

export const KINDS: Kind[] = ['webchat', 'email', 'sms', 'whatsapp', 'wechat', 'api'];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'];

// What an admin types for each kind: public settings, then the provider's secrets.
export const FIELDS: Record<Kind, { settings: string[]; secrets: string[] }> = {
  webchat: { settings: ['allowed_origins', 'welcome'], secrets: [] },
  email: { settings: ['address', 'from_name', 'sendgrid_user'], secrets: ['mailgun_signing_key', 'sendgrid_password', 'smtp_password'] },
  sms: { settings: ['account_sid', 'from'], secrets: ['auth_token'] },
  whatsapp: { settings: ['account_sid', 'from'], secrets: ['auth_token'] },
  wechat: { settings: ['app_id', 'original_id'], secrets: ['token', 'encoding_aes_key', 'app_secret'] },
  api: { settings: ['source', 'outbound_url'], secrets: [] },
};

export interface Channel {
  id: string;
  kind: Kind;
  name: string;
  is_enabled: boolean;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  webhook_urls?: Record<string, string>;
}

export interface Team {
  id: string;
  name: string;
  assignment: string;
  queued: number;
  agent_ids: string[];
  manager_agent_id: string | null;
}

export interface Agent {
  id: string;
  name: string;
  user_id: string | null;
  status: string;
  capacity: number;
  is_senior: boolean;
  team_ids: string[];
  open_conversations: number;
}

export const useList = <T>(key: string, url: string) => useQuery({ queryKey: [key], queryFn: () => get<{ data: T[] }>(url) });
