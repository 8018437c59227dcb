// The SP administrator's email as JumpCloud's RingCentral connector asks for it: URL-encoded
// (`admin%40acme.test`). It is stored decoded, and refused when the decoded text is no email.
import { z } from 'zod';

const email = z.string().email();

/** The decoded address, or the reason the text is refused. */
export function decodeAdminEmail(typed: string): { ok: true; email: string } | { ok: false; reason: string } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(typed.trim());
  } catch {
    return { ok: false, reason: `${typed} is not valid URL encoding (a % must be followed by two hex digits): type the address URL-encoded, e.g. admin%40acme.test` };
  }
  if (!email.safeParse(decoded).success) {
    return { ok: false, reason: `${typed} decodes to ${decoded}, which is not an email address: type the administrator's email URL-encoded, e.g. admin%40acme.test` };
  }
  return { ok: true, email: decoded.toLowerCase() };
}

/** The settings field: the URL-encoded email in, the decoded one out; an empty text clears it. */
export const adminEmailField = z
  .string()
  .max(600)
  .transform((typed, ctx) => {
    if (typed.trim() === '') return '';
    const result = decodeAdminEmail(typed);
    if (result.ok) return result.email;
    ctx.addIssue({ code: 'custom', message: result.reason });
    return z.NEVER;
  });
