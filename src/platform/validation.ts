// The one convention for schemas: a Zod schema and its type share a name, declared together:
//
//   export const CustomerInput = z.object({ ... });
//   export type CustomerInput = z.infer<typeof CustomerInput>;
//
// Routes use the schema for validation and OpenAPI; use cases take the type.
import { z } from 'zod';
import { AppError, fieldPath, zodIssuesToFields } from './errors.js';

export { z };

/** Parses or throws a 422 naming each bad field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError(422, 'VALIDATION_FAILED', 'Some fields are not valid', zodIssuesToFields(r.error.issues, prefix));
  return r.data;
}

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string(), code: z.string().optional() })).optional(),
  })
  .loose()
  .meta({ id: 'Problem' });

export const problemResponses = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  422: Problem,
  429: Problem,
} as const;

export const IdParam = z.object({ id: z.string().min(1).max(64) });

export const Timestamp = z.iso.datetime({ offset: true });

/** Whether this runtime knows `tz` as an IANA time zone (Asia/Shanghai, UTC). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

type WithoutDefault<T> = T extends z.ZodDefault<infer I> ? I : T extends z.ZodPrefault<infer I> ? I : T extends z.ZodOptional<infer I> ? WithoutDefault<I> : T;
type PatchShape<S extends z.core.$ZodShape> = { -readonly [K in keyof S]: z.ZodOptional<WithoutDefault<S[K]>> };

function withoutDefault(s: z.ZodType): z.ZodType {
  if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) return withoutDefault(s.unwrap() as z.ZodType);
  return s;
}

/** A field's object schema when it is an object with named fields (not a record, a list or a nullable object). */
function objectOf(s: z.ZodType): z.ZodObject | undefined {
  const inner = withoutDefault(s);
  return inner instanceof z.ZodObject ? inner : undefined;
}

/**
 * The PATCH schema of a document whose objects nest (a settings area): as patchOf, and each object
 * with named fields inside it is a patch too, so `{"sla":{"urgent":{"first_contact_minutes":30}}}`
 * names one number and leaves the other targets as they are. A record or a list is one value: a patch
 * replaces it whole. applyDeepPatch applies it.
 */
export function deepPatchOf(schema: z.ZodObject): z.ZodObject {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([k, v]) => {
      const o = objectOf(v as z.ZodType);
      return [k, (o ? deepPatchOf(o) : withoutDefault(v as z.ZodType)).optional()];
    }),
  );
  return schema.extend(shape);
}

/** `before` with a patch parsed by deepPatchOf(schema): objects with named fields merge field by field, anything else named is replaced. */
export function applyDeepPatch(schema: z.ZodObject, before: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...before };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    const o = objectOf(schema.shape[k] as z.ZodType);
    const was = before[k];
    out[k] =
      o && v !== null && typeof v === 'object' && was !== null && typeof was === 'object'
        ? applyDeepPatch(o, was as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/**
 * The PATCH schema of a create schema: every field optional and no field defaulted. `.partial()` is
 * not enough: a default survives it, so `{"name":"x"}` would come back with every defaulted field
 * reset (a disabled rule re-enabled, an agent's capacity back to 5). A PATCH changes what it names.
 * The object's own mode (strict or not) is kept.
 */
export function patchOf<S extends z.core.$ZodShape, C extends z.core.$ZodObjectConfig>(schema: z.ZodObject<S, C>): z.ZodObject<PatchShape<S>, C> {
  const shape = Object.fromEntries(Object.entries(schema.shape).map(([k, v]) => [k, withoutDefault(v as z.ZodType).optional()]));
  return schema.extend(shape) as unknown as z.ZodObject<PatchShape<S>, C>;
}

// A NUL, or half of a UTF-16 surrogate pair (only a JSON \u escape can make either): PostgreSQL stores
// neither in text or jsonb, and a lone surrogate in text would silently become U+FFFD.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string holds a character PostgreSQL cannot store (a NUL, half a surrogate pair). */
export const holdsUnstorable = (text: string) => UNSTORABLE.test(text);

/**
 * The paths of the strings (values or keys) in a parsed body that PostgreSQL cannot store, at most 20.
 * Walked with a stack of its own: a body nested 100,000 deep must not overflow the call stack.
 */
export function unstorableFields(root: unknown): string[] {
  type Node = { value: unknown; key?: PropertyKey; parent?: Node };
  const out: string[] = [];
  const pathOf = (n: Node) => {
    const path: PropertyKey[] = [];
    for (let x: Node | undefined = n; x?.key !== undefined; x = x.parent) path.push(x.key);
    return fieldPath(path.reverse());
  };
  const stack: Node[] = [{ value: root }];
  while (stack.length && out.length < 20) {
    const n = stack.pop()!;
    const v = n.value;
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) out.push(pathOf(n));
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: n });
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const child: Node = { value: entries[i][1], key: entries[i][0], parent: n };
        if (UNSTORABLE.test(entries[i][0])) out.push(pathOf(child));
        else stack.push(child);
      }
    }
  }
  return out;
}
