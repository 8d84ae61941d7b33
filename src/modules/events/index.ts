// Events: idempotent batched ingestion of customer events and the one customer timeline.
export { createEventsService, type EventsService } from './events-service.js';
export type { IngestResult, IngestItemResult } from './ingest-events.js';
export type { TimelineItem } from './read-timeline.js';
export { timelineInsertSql, type TimelineEntry } from './append-customer-events.js';
export { eventsRoutes } from './routes.js';
export { BUILT_IN_EVENT_TYPES, propertiesFromText } from './event-schemas.js';
export { customerEventCountSql } from './segment-predicates.js';
