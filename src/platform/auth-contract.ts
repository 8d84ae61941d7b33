// The HTTP contract of the platform's sign-in, console users and API keys: the request and response
// schemas of their routes, each with its inferred type (the convention in validation.ts). The browser
// code imports the types only.
import { z } from './validation.js';

/** What an API key or a role may do; a key is given some of them, a role implies them (auth.ts). */
export const SCOPES = ['ingest', 'read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];
export const ROLES = ['admin', 'manager', 'agent'] as const;
export type Role = (typeof ROLES)[number];
/** The languages a console user may work in. */
export const USER_LOCALES = ['en', 'zh-CN'] as const;
export type UserLocale = (typeof USER_LOCALES)[number];

export const MeOut = z.object({
  tenant_id: z.string(),
  tenant_name: z.string().nullable(),
  kind: z.string(),
  id: z.string(),
  role: z.string().nullable(),
  scopes: z.array(z.string()),
  name: z.string().nullable(),
  email: z.string().nullable(),
  locale: z.string().nullable(),
});
export type MeOut = z.infer<typeof MeOut>;
export const MePatch = z.object({ locale: z.enum(USER_LOCALES) }).strict();
export type MePatch = z.infer<typeof MePatch>;

export const UserOut = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  locale: z.string(),
  created_at: z.string(),
  disabled_at: z.string().nullable(),
});
export type UserOut = z.infer<typeof UserOut>;
export const UserList = z.object({ data: z.array(UserOut) });
/** Who the tenant's console users are by name, for anyone who reads: no email, role or sign-in facts. */
export const UserNames = z.object({ data: z.array(z.object({ id: z.string(), name: z.string() })) });
export type UserNames = z.infer<typeof UserNames>;
export type UserList = z.infer<typeof UserList>;
export const NewUser = z.object({
  email: z.string().email().max(320),
  name: z.string().min(1).max(200),
  role: z.enum(ROLES),
  password: z.string().min(10).max(1024),
  locale: z.enum(USER_LOCALES).default('en'),
});
export type NewUser = z.input<typeof NewUser>;
export const UserPatch = z.object({
  name: z.string().min(1).max(200).optional(),
  role: z.enum(ROLES).optional(),
  locale: z.enum(USER_LOCALES).optional(),
  is_disabled: z.boolean().optional(),
  password: z.string().min(10).max(1024).optional(),
});
export type UserPatch = z.infer<typeof UserPatch>;

export const ApiKeyOut = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
export type ApiKeyOut = z.infer<typeof ApiKeyOut>;
export const ApiKeyList = z.object({ data: z.array(ApiKeyOut) });
export type ApiKeyList = z.infer<typeof ApiKeyList>;
export const NewApiKey = z.object({ name: z.string().min(1).max(200), scopes: z.array(z.enum(SCOPES)).min(1) });
export type NewApiKey = z.infer<typeof NewApiKey>;
/** The token is in this answer only; only its hash is stored. */
export const NewApiKeyOut = z.object({ id: z.string(), token: z.string(), scopes: z.array(z.string()) });
export type NewApiKeyOut = z.infer<typeof NewApiKeyOut>;
