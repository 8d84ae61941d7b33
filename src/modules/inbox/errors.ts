// Error codes of the inbox, declared once.
import { defineError } from '../../platform/errors.js';

export const conversationNotFound = defineError(404, 'INBOX_CONVERSATION_NOT_FOUND', 'No such conversation');
export const channelNotFound = defineError(404, 'INBOX_CHANNEL_NOT_FOUND', 'No such channel');
export const teamNotFound = defineError(404, 'INBOX_TEAM_NOT_FOUND', 'No such team');
export const agentNotFound = defineError(404, 'INBOX_AGENT_NOT_FOUND', 'No such agent');
export const ruleNotFound = defineError(404, 'INBOX_ROUTING_RULE_NOT_FOUND', 'No such routing rule');
export const policyNotFound = defineError(404, 'INBOX_SLA_POLICY_NOT_FOUND', 'No such SLA policy');
export const messageNotFound = defineError(404, 'INBOX_MESSAGE_NOT_FOUND', 'No such outbound message in this conversation');
export const cannedReplyNotFound = defineError(404, 'INBOX_CANNED_REPLY_NOT_FOUND', 'No such canned reply');
export const invalidChannelSettings = defineError(422, 'INBOX_CHANNEL_INVALID_SETTINGS', 'The channel settings are not valid');
export const noRecipient = defineError(422, 'INBOX_CONVERSATION_NO_RECIPIENT', 'The customer has no address on this channel');
export const conversationResolved = defineError(409, 'INBOX_CONVERSATION_RESOLVED', 'The conversation is resolved');
export const cannotMergeConversations = defineError(409, 'INBOX_CONVERSATION_CANNOT_MERGE', 'These conversations cannot be merged');
export const shortcutTaken = defineError(409, 'INBOX_CANNED_REPLY_SHORTCUT_TAKEN', 'A canned reply already uses this shortcut');
export const conversationTaken = defineError(409, 'INBOX_CONVERSATION_ALREADY_ASSIGNED', 'Another agent holds this conversation; a supervisor can transfer it');
export const conversationNotInAgentTeams = defineError(403, 'INBOX_CONVERSATION_NOT_IN_AGENT_TEAMS', 'The conversation waits in a team the agent is not in');
export const agentOverCapacity = defineError(409, 'INBOX_AGENT_AT_CAPACITY', 'The agent has no free capacity');
export const messageInvalid = defineError(422, 'INBOX_MESSAGE_INVALID', 'The inbound message cannot be stored');
// Provider webhooks: a refused request says only that it was refused (the reason goes to the log).
export const webhookNotVerified = defineError(401, 'INBOX_WEBHOOK_NOT_VERIFIED', 'The request could not be verified');
export const webhookChannelRefused = defineError(403, 'INBOX_WEBHOOK_NOT_VERIFIED', 'The request could not be verified');
export const webhookBodyInvalid = defineError(422, 'VALIDATION_FAILED', 'The request body is not valid');
export const webhookBodyUnreadable = defineError(400, 'BAD_REQUEST', 'The body could not be read');
export const webhookMediaType = defineError(415, 'UNSUPPORTED_MEDIA_TYPE', 'multipart/form-data expected');
