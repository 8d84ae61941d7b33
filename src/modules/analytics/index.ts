// Analytics: loyalty measured, not only satisfaction — customer value, retention and churn risk, experience and its drivers, operations, the programme and reputation, from roll-ups refreshed by jobs.
export { createAnalyticsService, type AnalyticsService } from './analytics-service.js';
export { analyticsRoutes } from './routes.js';
export type { Mail, SendMail } from './send-digest.js';
