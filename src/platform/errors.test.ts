import { describe, expect, it } from 'vitest';
import { fieldPath, toProblem } from './errors.js';
import { newId } from './ids.js';

describe('problem details', () => {
  it('names nested fields the way a client writes them', () => {
    expect(fieldPath(['events', 3, 'properties', 'amount'])).toBe('events[3].properties.amount');
    expect(fieldPath([], 'query')).toBe('query');
    expect(fieldPath([])).toBe('(root)');
  });

  it('renders RFC 9457 members with the status and code', () => {
    const p = toProblem(422, 'VALIDATION_FAILED', 'bad', [{ field: 'email', message: 'is not an email address' }]);
    expect(p).toEqual({
      type: 'https://rapport.dev/problems/validation-failed',
      title: 'Unprocessable Content',
      status: 422,
      code: 'VALIDATION_FAILED',
      detail: 'bad',
      errors: [{ field: 'email', message: 'is not an email address' }],
    });
  });
});

describe('ids', () => {
  it('carry their kind and sort by creation time', async () => {
    const a = newId('cus');
    await new Promise((r) => setTimeout(r, 5));
    const b = newId('cus');
    expect(a).toMatch(/^cus_[0-9a-z]{26}$/);
    expect(a < b).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newId('x'))).size).toBe(1000);
  });
});
