// Knowledge: articles customers find themselves (help centre, widget search) and guidance for agents (suggestions, scripts).
export { createKnowledgeService, type KnowledgeService, type GuidanceTarget, type MessageReceived } from './knowledge-service.js';
export { knowledgeRoutes } from './routes.js';
export { helpCentreRoutes } from './help-centre-routes.js';
export type { CandidateReply, SuggestionSource, Suggestions } from './suggest-for-message.js';
export { LANGUAGES, type Language } from './search-articles.js';
// The search index's words and query analysis: bench/knowledge.ts loads a large corpus with them in bulk.
export { indexWords, vocabularyOf, VECTOR_SQL } from './save-article.js';
export { analyzeQuery, toTsQuery } from './search-articles.js';
