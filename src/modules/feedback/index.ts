// Feedback: surveys at every touchpoint (NPS, CSAT, CES, custom; zh-CN and en), triggers, throttling and responses.
export { createFeedbackService, type FeedbackService, type ResponseSubmitted, type TextAnalysis, type TextAnalyzer } from './feedback-service.js';
export type { ResponseAnalyzed } from './write-response-batches.js';
export { feedbackRoutes } from './routes.js';
export { feedbackPublicRoutes } from './public-routes.js';
export { rebuildRollups } from './keep-rollups.js';
export { scoreWithInterval } from './measure-feedback.js';
