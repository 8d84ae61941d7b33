// Outreach: the right message, in the customer's language, on their channel, at their hours — and never harassment.
export { createOutreachService, type OutreachService, type OutreachDeps, type LoyaltyStatementsProvider, type SegmentMembers } from './outreach-service.js';
export { outreachRoutes } from './routes.js';
export { createChannelSender, type OutboundSender, type OutboundMessage, type SendResult, type ChannelMessage } from './senders.js';
export type { RenderedContent, Channel } from './render-template.js';
export type { VariablesProvider } from './deliver-message.js';
export type { SentimentOf } from './handle-signals.js';
export { chooseChannel } from './choose-channel.js';
export { INVITATION_CHANNELS } from './send-survey-invitations.js';
// The campaign planner on its own database pool, without an app: bench/outreach.ts measures it on a million customers.
export { planCampaign } from './plan-campaign.js';
export { readSettings as readOutreachSettings, createSecretBox as createOutreachSecretBox } from './settings.js';
export { templateChannels } from './render-template.js';
