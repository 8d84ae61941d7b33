// The one convention for schemas: a Zod schema and its type share a name, declared together:
//
//   export const CustomerInput = z.object({ ... });
//   export type CustomerInput = z.infer<typeof CustomerInput>;
//
// Routes use the schema for validation and OpenAPI; use cases take the type.
import { z } from 'zod';
import { AppError, zodIssuesToFields } from './errors.js';

export { z };

/** Parses or throws a 422 naming each bad field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError(422, 'VALIDATION_FAILED', 'Some fields are not valid', zodIssuesToFields(r.error.issues, prefix));
  return r.data;
}

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string(), code: z.string().optional() })).optional(),
}).loose().meta({ id: 'Problem' });

export const problemResponses = {
  400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem, 429: Problem,
} as const;

export const IdParam = z.object({ id: z.string().min(1).max(64) });

export const Timestamp = z.iso.datetime({ offset: true });

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
