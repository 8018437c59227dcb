// What a caught value says about itself, read without assuming its type: a `catch` may receive
// anything a dependency throws (a string, a plain object, an Error from another realm), and a
// cast would turn that into a TypeError that hides the real cause.

/** The system error code (`ENOENT`, `EADDRINUSE`, …) of a caught value, if it carries one. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

/** The message of a caught value: an Error's own message, else the value as text. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
