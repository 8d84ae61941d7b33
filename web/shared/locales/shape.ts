// The shape a translation must have: the same keys as the English original, every leaf a string.
export type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
