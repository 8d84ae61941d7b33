// Errors that reach a client as RFC 9457 application/problem+json. Each module declares its own
// codes once in its errors.ts with defineError; the HTTP layer renders them.

export interface FieldProblem {
  field: string;
  message: string;
  code?: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldProblem[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function defineError(status: number, code: string, title: string) {
  return (detail: string = title, errors: FieldProblem[] = [], extra: Record<string, unknown> = {}) => new AppError(status, code, detail, errors, extra);
}

export const notFound = defineError(404, 'NOT_FOUND', 'Not found');
export const badRequest = defineError(400, 'BAD_REQUEST', 'Bad request');
export const unprocessable = defineError(422, 'UNPROCESSABLE', 'The request could not be processed');
export const conflict = defineError(409, 'CONFLICT', 'Conflict');
export const unauthorized = defineError(401, 'UNAUTHORIZED', 'Authentication required');
export const forbidden = defineError(403, 'FORBIDDEN', 'Not allowed');
export const tooManyRequests = defineError(429, 'TOO_MANY_REQUESTS', 'Too many requests');

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  errors?: FieldProblem[];
  [k: string]: unknown;
}

export function toProblem(status: number, code: string, detail: string | undefined, errors?: FieldProblem[], extra: Record<string, unknown> = {}): Problem {
  return {
    type: `https://rapport.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    ...(detail ? { detail } : {}),
    ...(errors && errors.length ? { errors } : {}),
    ...extra,
  };
}

/** Turns a Zod issue path like ['events', 3, 'occurred_at'] into 'events[3].occurred_at'. */
export function fieldPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

export function zodIssuesToFields(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string }>, prefix = ''): FieldProblem[] {
  return issues.map((i) => ({ field: fieldPath(i.path, prefix), message: i.message, ...(i.code ? { code: i.code } : {}) }));
}
