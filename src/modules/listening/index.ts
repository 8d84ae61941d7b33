// Listening: public mentions from feeds, connectors and imports, the reputation watch-list, crisis alerts.
export { createListeningService, type ListeningService } from './listening-service.js';
export { listeningRoutes } from './routes.js';
export type { MentionCreated, MentionInput } from './ingest-mentions.js';
export { ANGLES, type Angle } from './watch-list.js';
// One mention's analysis against a compiled watch-list, without a database: bench/text.ts measures its throughput.
export { compileWatchList, type WatchTerm } from './watch-list.js';
export { analyzeMention } from './analyze-mention.js';
