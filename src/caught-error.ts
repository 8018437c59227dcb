// What a caught value says about itself, read without assuming its type: a `catch` may receive
// anything a dependency throws (a string, a plain object, an Error from another realm), and a
// cast would turn that into a TypeError that hides the real cause.

/** The `code` a caught value carries, if a string: a system error's (`ENOENT`, `EADDRINUSE`), a database driver's (SQLSTATE `55P03`, `SQLITE_CONSTRAINT_UNIQUE`). */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

/** The message of a caught value: an Error's own message, else the value as text. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What a caught Error says caused it (`fetch failed` says nothing; its cause names the refusal). */
export function errorCause(err: unknown): unknown {
  return err instanceof Error ? err.cause : undefined;
}

/** The message of a caught error's cause when that is an Error, else the error's own. */
export function causeMessage(err: unknown): string {
  const cause = errorCause(err);
  return cause instanceof Error ? cause.message : errorMessage(err);
}
