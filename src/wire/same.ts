/**
 * A compile-time check that a wire schema and the in-memory type it prints are one shape: `true` only when each is
 * assignable to the other, so a field added, dropped or retyped on either side fails the typecheck.
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
