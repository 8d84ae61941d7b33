// Ids are a kind prefix plus a time-ordered random part (cus_01J...), so logs say what an id names
// and B-tree inserts stay near the right edge of the index.
import { randomBytes, randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

// Random bytes for ids come from a pool refilled 4 KB at a time: one call into the CSPRNG per 256 ids
// instead of one per id (the ingest and inbox paths make several ids per event).
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

export function newId(prefix: string): string {
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let rand = '';
  for (let i = poolOffset; i < poolOffset + 16; i++) rand += ALPHABET[pool[i] & 31];
  poolOffset += 16;
  // The wall clock, not the product clock: the time prefix only makes ids sort roughly by creation for
  // indexes and logs; no decision reads it back.
  return `${prefix}_${encodeTime(Date.now())}${rand}`;
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
