// Joins knowledge and inbox: an agent's composer is offered the team's canned replies ranked beside the
// help articles, so one search finds both.
import type { InboxService } from '../modules/inbox/index.js';
import type { KnowledgeService } from '../modules/knowledge/index.js';

export function cannedRepliesSuggestAnswers({ knowledge, inbox }: { knowledge: KnowledgeService; inbox: InboxService }): void {
  knowledge.addSuggestionSource(async (tenantId) =>
    (await inbox.listCannedReplies(tenantId)).map((c) => ({ id: c.id, title: c.title, text: c.body, language: c.language })),
  );
}
