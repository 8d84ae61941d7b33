// The server's Node flags (bin/node-flags.js): a heap limit on the embedded database only, and never
// over one the operator set.
import { describe, expect, it } from 'vitest';
import { EMBEDDED_HEAP_MB, serverNodeFlags } from '../bin/node-flags.js';

describe('the server process flags', () => {
  it('limits the heap on the embedded database', () => {
    expect(serverNodeFlags({})).toEqual([`--max-old-space-size=${EMBEDDED_HEAP_MB}`]);
    expect(serverNodeFlags({ DATABASE_URL: '' })).toEqual([`--max-old-space-size=${EMBEDDED_HEAP_MB}`]);
  });
  it("leaves Node's default with a real PostgreSQL, and an operator's own limit in NODE_OPTIONS", () => {
    expect(serverNodeFlags({ DATABASE_URL: 'postgres://db.example/rapport' })).toEqual([]);
    expect(serverNodeFlags({ NODE_OPTIONS: '--max-old-space-size=2048' })).toEqual([]);
  });
});
