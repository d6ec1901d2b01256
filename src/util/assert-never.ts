/** Exhaustiveness check for `switch` on a discriminant: a new variant becomes a compile error here. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
