// The inbox API as the console calls it (conversations, messages, agents, teams, canned replies, the
// agent's context), typed by the inbox module's contract.
import type {
  AgentView,
  CannedReplyView,
  ConversationContext,
  ConversationListItem,
  ConversationPatch,
  ConversationView,
  MessageView,
  TeamView,
} from '../../../src/modules/inbox/contract.js';
import { api, get, qs } from '../../shared/api.js';

export type {
  AgentView,
  CannedReplyView,
  ChannelKind,
  ChannelView,
  RoutingRuleView,
  RuleConditions,
  SlaPolicyView,
  ConversationContext,
  ConversationStatus,
  ConversationView,
  MessageView,
  Priority,
  TeamView,
} from '../../../src/modules/inbox/contract.js';
/** A conversation as a list or its own page gives it (the list adds its last message). */
export type Conversation = ConversationView & Partial<Pick<ConversationListItem, 'last_message'>>;
export type Attachment = MessageView['attachments'][number];

const path = (id: string) => `/v1/conversations/${encodeURIComponent(id)}`;

export const listConversations = (q: {
  limit?: number;
  cursor?: string;
  status?: string;
  assignee_id?: string;
  team_id?: string;
  customer_id?: string;
  unassigned?: 'true' | 'false';
}) => get<{ data: Conversation[]; next_cursor: string | null }>(`/v1/conversations${qs(q)}`);
export const getConversation = (id: string) => get<ConversationView>(path(id));
export const updateConversation = (id: string, patch: ConversationPatch) => api<ConversationView>('PATCH', path(id), patch);
export const listMessages = (id: string) => get<{ data: MessageView[] }>(`${path(id)}/messages`);
export const sendReply = (id: string, body: { text?: string; canned_reply_id?: string; agent_id?: string }) =>
  api<{ id: string }>('POST', `${path(id)}/messages`, body);
export const addNote = (id: string, body: { text: string; agent_id?: string }) => api<{ id: string }>('POST', `${path(id)}/notes`, body);
export const resendMessage = (id: string, messageId: string) => api<unknown>('POST', `${path(id)}/messages/${encodeURIComponent(messageId)}/resend`);
export const assignConversation = (id: string, body: { agent_id?: string | null; team_id?: string; force?: boolean }) =>
  api<unknown>('POST', `${path(id)}/assignment`, body);
export const pickConversation = (id: string, agentId: string | undefined) => api<unknown>('POST', `${path(id)}/pick`, { agent_id: agentId });
export const mergeConversation = (id: string, sourceId: string) => api<ConversationView>('POST', `${path(id)}/merge`, { conversation_id: sourceId });
export const getContext = (id: string) => get<ConversationContext>(`${path(id)}/context`);
export const listAgents = () => get<{ data: AgentView[] }>('/v1/inbox/agents');
export const setAgentStatus = (agentId: string, status: string) => api<AgentView>('PATCH', `/v1/inbox/agents/${encodeURIComponent(agentId)}`, { status });
export const listTeams = () => get<{ data: TeamView[] }>('/v1/inbox/teams');
export const listCannedReplies = () => get<{ data: CannedReplyView[] }>('/v1/inbox/canned-replies');
