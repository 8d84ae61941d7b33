import { describe, expect, it } from 'vitest';
import { z, patchOf } from './validation.js';

describe('patchOf', () => {
  const Input = z
    .object({ name: z.string(), is_enabled: z.boolean().default(true), capacity: z.number().default(5).optional(), tags: z.array(z.string()).prefault([]) })
    .strict();

  it('leaves out every field the client did not name, defaults included', () => {
    expect(patchOf(Input).parse({ name: 'x' })).toEqual({ name: 'x' });
    expect(patchOf(Input).parse({})).toEqual({});
  });

  it('still validates the fields it is given and keeps the object strict', () => {
    expect(patchOf(Input).safeParse({ is_enabled: 'yes' }).success).toBe(false);
    expect(patchOf(Input).safeParse({ unknown: 1 }).success).toBe(false);
    expect(patchOf(Input).parse({ is_enabled: false })).toEqual({ is_enabled: false });
  });

  it('is needed because partial() keeps defaults', () => {
    expect(Input.partial().parse({ name: 'x' })).toMatchObject({ is_enabled: true });
  });
});
