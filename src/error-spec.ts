// What the catalogue says of each error code (src/error-codes.ts): its status, title, and where a
// fix is. Its own module so the catalogue's parts can name it without importing the catalogue.

export type Side = 'idp' | 'sp' | 'harness';

export interface ErrorSpec {
  status: number;
  /** One line: what this code means. */
  title: string;
  /** Which side has the setting that fixes it, when there is one. */
  side?: Side;
  setting?: string;
  /** Response headers every answer with this code carries (the authentication scheme, the allowed methods). */
  headers?: Readonly<Record<string, string>>;
}
