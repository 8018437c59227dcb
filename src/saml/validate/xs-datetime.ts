// SAML time values: xs:dateTime in UTC with a `Z` (saml-core §1.3.3). Anything else is refused
// rather than guessed at (catalogue row 34: malformed dates must not pass as "no limit").
import { HarnessError } from '../../errors.js';

const XS_DATETIME_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/** Milliseconds since the epoch; throws SAML_TIME_MALFORMED naming `where` (e.g. `Conditions/@NotBefore`). */
export function parseSamlTime(value: string, where: string): number {
  const m = XS_DATETIME_UTC.exec(value);
  if (m) {
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
    const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
    const back = new Date(t);
    // Date.UTC rolls 2026-02-30 over to March: a round trip catches impossible dates.
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && s < 60) {
      return t;
    }
  }
  throw new HarnessError('SAML_TIME_MALFORMED', `${where} is not a UTC xs:dateTime`, {
    expected: `${where} as a UTC xs:dateTime, e.g. 2026-11-24T10:00:00Z`,
    received: JSON.stringify(value),
  });
}

export function describeTime(ms: number): string {
  return new Date(ms).toISOString();
}
