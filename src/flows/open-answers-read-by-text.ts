// Joins feedback and text: open answers get their sentiment and topics (with each topic's polarity)
// from the text library as they arrive, read with the tenant's topic model learned from its corrections.
import type { FeedbackService } from '../modules/feedback/index.js';
import { analyzeText, type TextService } from '../modules/text/index.js';

export function openAnswersReadByText({ feedback, text }: { feedback: FeedbackService; text: TextService }): void {
  feedback.setTextAnalyzer(async (openText, _language, tenantId) => {
    const a = analyzeText(openText, { topicModel: await text.topicModelOf(tenantId) });
    return { sentiment: a.sentiment.label, score: a.sentiment.score, topics: a.topics.map((t) => t.topic), topicSentiments: a.aspects, language: a.language };
  });
}
