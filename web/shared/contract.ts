// The browser's link to the server's contracts (src/modules/<module>/contract.ts). Types come across
// with `import type` only, so no server code is bundled; a list of values the browser needs at run
// time (the identity kinds for a select) is written here and checked against the server's type.

/**
 * Every member of a server union, checked at compile time: `everyOf<IdentityKind>()([...])` fails to
 * type-check when the list misses a member the server has, or holds one it does not.
 */
export const everyOf =
  <T extends string | number>() =>
  <const A extends readonly T[]>(list: A & ([Exclude<T, A[number]>] extends [never] ? unknown : { missing: Exclude<T, A[number]> })): A =>
    list;
