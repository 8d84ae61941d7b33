// The widget module's HTTP contract: the request and response schemas of its routes, each with its
// inferred type (the convention in platform/validation.ts). The browser code imports the types only.
import { z } from '../../platform/validation.js';

export const Origin = z
  .string()
  .max(300)
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be an origin such as https://www.example.com (scheme, host, optional port)');
export const Settings = z.object({ key: z.string().nullable(), allowed_origins: z.array(z.string()) });
export type Settings = z.infer<typeof Settings>;
export const FeedbackBody = z
  .object({
    key: z.string().min(1).max(200),
    text: z.string().trim().min(1).max(2000),
    rating: z.number().int().min(1).max(5).optional(),
    page_url: z.string().url().max(2000).optional(),
    anonymous_id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, _ or -')
      .optional(),
    // The token the web chat gave with the anonymous id; without it the id is not honoured.
    visitor_token: z.string().max(200).optional(),
    // Kept on the feedback only: a typed address is not proof of who the visitor is.
    email: z.string().email().max(320).optional(),
    // The widget's own id for one submission: sent again after a lost answer, it stores nothing twice.
    submission_key: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,100}$/, 'must be 8-100 letters, digits, _ or -')
      .optional(),
  })
  .strict();
export type FeedbackBody = z.infer<typeof FeedbackBody>;
export const VisitorBody = z
  .object({
    key: z.string().min(1).max(200),
    anonymous_id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, _ or -')
      .optional(),
    visitor_token: z.string().max(200).optional(),
  })
  .strict();
export type VisitorBody = z.infer<typeof VisitorBody>;
export const HelpSearchBody = VisitorBody.extend({ q: z.string().trim().min(1).max(500), language: z.string().max(35).optional() }).strict();
export type HelpSearchBody = z.infer<typeof HelpSearchBody>;
export const HelpSearchOut = z.object({
  search_id: z.string().nullable(),
  language: z.string(),
  results: z.array(z.object({ id: z.string(), title: z.string(), snippet_html: z.string(), language: z.string(), url: z.string() })),
});
export type HelpSearchOut = z.infer<typeof HelpSearchOut>;
export const FeedbackOut = z.object({
  id: z.string(),
  customer_id: z.string().nullable(),
  email: z.string().nullable(),
  text: z.string(),
  rating: z.number().nullable(),
  page_url: z.string().nullable(),
  created_at: z.string(),
});
export type FeedbackOut = z.infer<typeof FeedbackOut>;
