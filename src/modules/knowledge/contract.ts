// The knowledge module's HTTP contract: the request and response schemas of its routes, each with its
// inferred type (the convention in platform/validation.ts). The browser code imports the types only.
import { z, patchOf } from '../../platform/validation.js';
import { LANGUAGES } from './search-articles.js';

export const Language = z.enum(LANGUAGES);
export const Id = z.string().min(1).max(64);
export const Title = z.string().trim().min(1).max(300);
export const Body = z.string().max(100_000);
export const LocalizedText = z.partialRecord(Language, z.string().max(300));
export const ArticleInput = z
  .object({
    title: Title,
    body: Body,
    language: Language,
    category_id: Id.nullable().optional(),
    translation_of: Id.optional(),
    status: z.enum(['draft', 'published']).optional(),
    visibility: z.enum(['public', 'internal']).optional(),
    slug: z
      .string()
      .regex(/^[\p{Ll}\p{Lo}\p{N}-]{1,80}$/u, 'lower-case letters, digits and dashes')
      .optional(),
  })
  .strict();
export type ArticleInput = z.infer<typeof ArticleInput>;
export const ArticlePatch = patchOf(ArticleInput.omit({ language: true, translation_of: true }));
export type ArticlePatch = z.infer<typeof ArticlePatch>;
// The database holds only these (knowledge_articles' CHECK constraints).
export const ArticleStatus = z.enum(['draft', 'published']);
export const ArticleVisibility = z.enum(['public', 'internal']);
export const Article = z
  .object({
    id: z.string(),
    group_id: z.string(),
    category_id: z.string().nullable(),
    language: z.string(),
    slug: z.string(),
    title: z.string(),
    body: z.string(),
    status: ArticleStatus,
    visibility: ArticleVisibility,
    version: z.number(),
    published_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    translations: z.array(z.object({ id: z.string(), language: z.string(), status: z.string(), visibility: z.string(), title: z.string() })),
    feedback: z.object({ helpful: z.number(), not_helpful: z.number() }),
  })
  .meta({ id: 'KnowledgeArticle' });
export type Article = z.infer<typeof Article>;
export const ArticleSummary = z.object({
  id: z.string(),
  group_id: z.string(),
  category_id: z.string().nullable(),
  language: z.string(),
  title: z.string(),
  status: z.string(),
  visibility: z.string(),
  version: z.number(),
  updated_at: z.string(),
});
export type ArticleSummary = z.infer<typeof ArticleSummary>;
export const Version = z.object({
  version: z.number(),
  title: z.string(),
  status: z.string(),
  visibility: z.string(),
  category_id: z.string().nullable(),
  author_type: z.string(),
  author_id: z.string(),
  created_at: z.string(),
});
export type Version = z.infer<typeof Version>;
export const CategoryInput = z
  .object({
    slug: z
      .string()
      .regex(/^[\p{Ll}\p{Lo}\p{N}-]{1,80}$/u, 'lower-case letters, digits and dashes')
      .optional(),
    names: LocalizedText.refine((n) => Object.values(n).some((v) => v.trim()), 'needs a name in at least one language'),
    descriptions: LocalizedText.optional(),
    parent_id: Id.nullable().optional(),
    position: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();
export type CategoryInput = z.infer<typeof CategoryInput>;
export const Category = z
  .object({
    id: z.string(),
    slug: z.string(),
    parent_id: z.string().nullable(),
    names: z.record(z.string(), z.string()),
    descriptions: z.record(z.string(), z.string()),
    position: z.number(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'KnowledgeCategory' });
export type Category = z.infer<typeof Category>;
export const Hit = z.object({
  id: z.string(),
  group_id: z.string(),
  language: z.string(),
  category_id: z.string().nullable(),
  visibility: z.string(),
  title: z.string(),
  title_html: z.string(),
  snippet_html: z.string(),
  score: z.number(),
});
export type Hit = z.infer<typeof Hit>;
export const SearchQuery = z.object({
  q: z.string().min(1).max(500),
  language: Language.optional(),
  category_id: Id.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export type SearchQuery = z.infer<typeof SearchQuery>;
// The query is not echoed: the caller has it, and an answer should hold only what was found.
export const SearchAnswer = z.object({ mode: z.string(), corrections: z.array(z.object({ from: z.string(), to: z.string() })), results: z.array(Hit) });
export type SearchAnswer = z.infer<typeof SearchAnswer>;
export const SynonymInput = z.object({ terms: z.array(z.string().trim().min(1).max(100)).min(2).max(50) }).strict();
export const SynonymSet = z.object({ id: z.string(), terms: z.array(z.string()), created_at: z.string() });
export type SynonymSet = z.infer<typeof SynonymSet>;
export const Gap = z.object({
  query: z.string(),
  queries: z.array(z.string()),
  keys: z.array(z.string()),
  searches: z.number(),
  no_result: z.number(),
  followed_by_chat: z.number(),
  languages: z.array(z.string()),
  last_searched_at: z.string(),
});
export type Gap = z.infer<typeof Gap>;
export const FeedbackInput = z.object({ helpful: z.boolean(), comment: z.string().max(2000).nullable().optional() }).strict();
export const Candidate = z.object({
  id: z.string().min(1).max(100),
  title: z.string().max(300).optional(),
  text: z.string().min(1).max(10_000),
  language: Language.nullable().optional(),
});
export const SuggestInput = z
  .object({
    text: z.string().min(1).max(10_000),
    language: Language.optional(),
    limit: z.number().int().min(1).max(20).optional(),
    candidates: z.array(Candidate).max(500).optional(),
  })
  .strict();
export type SuggestInput = z.infer<typeof SuggestInput>;
export const Suggestions = z.object({
  language: z.string().nullable(),
  articles: z.array(Hit.extend({ url_path: z.string().nullable() })),
  canned_replies: z.array(z.object({ id: z.string(), title: z.string().nullable(), text: z.string(), score: z.number(), snippet_html: z.string() })),
});
export type Suggestions = z.infer<typeof Suggestions>;
export const NodeId = z.string().min(1).max(64);
export const ScriptNode = z.object({
  id: NodeId,
  kind: z.enum(['question', 'action']),
  text: z.string().min(1).max(2000),
  article_id: Id.nullable().optional(),
  options: z
    .array(z.object({ id: NodeId, label: z.string().min(1).max(300), next: NodeId.nullable().optional() }))
    .max(20)
    .default([]),
});
export type ScriptNode = z.infer<typeof ScriptNode>;
export const ScriptInput = z
  .object({
    case_type: z.string().trim().min(1).max(100),
    title: Title,
    language: Language,
    root_node: NodeId,
    nodes: z.array(ScriptNode).min(1).max(200),
    is_active: z.boolean().optional(),
  })
  .strict();
export type ScriptInput = z.infer<typeof ScriptInput>;
export const Script = z
  .object({
    id: z.string(),
    case_type: z.string(),
    title: z.string(),
    language: z.string(),
    root_node: z.string(),
    is_active: z.boolean(),
    nodes: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(['question', 'action']),
        text: z.string(),
        article_id: z.string().nullable().optional(),
        options: z.array(z.object({ id: z.string(), label: z.string(), next: z.string().nullable().optional() })),
      }),
    ),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'KnowledgeScript' });
export type Script = z.infer<typeof Script>;
export const ScriptRun = z
  .object({
    id: z.string(),
    script_id: z.string(),
    conversation_id: z.string(),
    status: z.string(),
    started_at: z.string(),
    ended_at: z.string().nullable(),
    agent: z.object({ type: z.string(), id: z.string() }),
    current_node: Script.shape.nodes.element.nullable(),
    path: z.array(
      z.object({
        seq: z.number(),
        node_id: z.string(),
        node_text: z.string().nullable(),
        option_id: z.string().nullable(),
        option_label: z.string().nullable(),
        note: z.string().nullable(),
        at: z.string(),
      }),
    ),
  })
  .meta({ id: 'KnowledgeScriptRun' });
export type ScriptRun = z.infer<typeof ScriptRun>;
export const Slug = z.object({ slug: z.string().min(1).max(64) });
export const HelpCentreLocation = z.object({ slug: z.string(), url: z.string(), default_language: Language });
export type HelpCentreLocation = z.infer<typeof HelpCentreLocation>;
export { LANGUAGES } from './search-articles.js';
