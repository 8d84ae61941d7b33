// Loop: closed-loop cases from negative signals, owners and SLAs, resolution, telling the customer, systemic issues.
export { createLoopService, type LoopService, type CaseOpened } from './loop-service.js';
export { loopRoutes } from './routes.js';
export type { Delivery, Notice } from './notify-customer.js';
export type { ResponseSignal, AnalysisSignal } from './open-response-cases.js';
export type { MentionSignal } from './open-mention-case.js';
