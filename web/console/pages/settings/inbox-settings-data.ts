// What the inbox's settings tabs read: channels, teams and agents, and the priorities SLA policies and
// routing rules are written for.
import { useQuery } from '@tanstack/react-query';
import { get } from '../../../shared/api.js';
import { everyOf } from '../../../shared/contract.js';
import type { ChannelKind, ChannelView, Priority, RoutingRuleView, RuleConditions } from '../../api/inbox.js';

export type Kind = ChannelKind;

export const KINDS = everyOf<Kind>()(['webchat', 'email', 'sms', 'whatsapp', 'wechat', 'api']);

export const PRIORITIES = everyOf<Priority>()(['low', 'normal', 'high', 'urgent']);

// What an admin types for each kind: public settings, then the provider's secrets.
export const FIELDS: Record<Kind, { settings: string[]; secrets: string[] }> = {
  webchat: { settings: ['allowed_origins', 'welcome'], secrets: [] },
  email: { settings: ['address', 'from_name', 'sendgrid_user'], secrets: ['mailgun_signing_key', 'sendgrid_password', 'smtp_password'] },
  sms: { settings: ['account_sid', 'from'], secrets: ['auth_token'] },
  whatsapp: { settings: ['account_sid', 'from'], secrets: ['auth_token'] },
  wechat: { settings: ['app_id', 'original_id'], secrets: ['token', 'encoding_aes_key', 'app_secret'] },
  api: { settings: ['source', 'outbound_url'], secrets: [] },
};

/** A channel as the API lists it; its kind is one the inbox knows. */
export type Channel = ChannelView & { kind: Kind };
export type { AgentView as Agent, TeamView as Team } from '../../api/inbox.js';
/** A routing rule as the API lists it, its conditions as the inbox reads them. */
export type RoutingRule = RoutingRuleView & { conditions: RuleConditions };
export type { SlaPolicyView as SlaPolicy } from '../../api/inbox.js';

export const useList = <T>(key: string, url: string) => useQuery({ queryKey: [key], queryFn: () => get<{ data: T[] }>(url) });
