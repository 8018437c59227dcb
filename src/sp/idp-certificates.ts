// The IdP certificates an SP account trusts, in RingCentral's two slots: Primary and Secondary.
// RingCentral accepts several certificates in the metadata but uses only these two; a response
// must verify with one of them. Two slots are what a rollover needs: trust the IdP's next
// certificate as Secondary, let the IdP rotate, then drop the old one.
import { z } from 'zod';
import { parseCertificate, pinnedCertificate, summarizeCertificate, type CertificateSummary } from '../crypto/keys.js';
import { HarnessError } from '../errors.js';
import type { IdpCertificateSlots, ImportedIdp } from './model.js';
import { errorMessage } from '../caught-error.js';

const certificateText = z.string().trim().min(1).max(20_000);

/** `PATCH /sp/api/accounts/:id/sso` `{ "idpCertificates": { "primary"?: PEM|base64, "secondary"?: PEM|base64|null } }`. */
export const idpCertificatesInput = z
  .object({ primary: certificateText, secondary: certificateText.nullable() })
  .partial()
  .strict()
  .refine((c) => c.primary !== undefined || c.secondary !== undefined, { message: 'set primary, secondary, or both' });

export type IdpCertificatesInput = z.output<typeof idpCertificatesInput>;

export type SlotName = keyof IdpCertificateSlots;

/** The slots an import fills: the first two signing certificates of the metadata. */
export function slotsFromMetadata(signing: readonly string[]): IdpCertificateSlots {
  const [primary, secondary] = signing;
  if (primary === undefined) throw new HarnessError('INTERNAL', 'IdP metadata without a signing certificate reached the import');
  return { primary, ...(secondary !== undefined && { secondary }) };
}

export function certificateSlots(idp: ImportedIdp): IdpCertificateSlots | undefined {
  return idp.certificateSlots ?? (idp.certificates[0] === undefined ? undefined : slotsFromMetadata(idp.certificates));
}

/** The certificates (base64 DER) a response may be signed with: Primary, then Secondary. */
export function trustedIdpCertificates(idp: ImportedIdp): string[] {
  const slots = certificateSlots(idp);
  return slots ? [slots.primary, ...(slots.secondary !== undefined ? [slots.secondary] : [])] : [];
}

function readSlot(slot: SlotName, text: string): string {
  try {
    return parseCertificate(text).raw.toString('base64');
  } catch (err) {
    throw new HarnessError('INPUT_INVALID', `the ${slot} IdP certificate cannot be read: ${errorMessage(err)}`, {
      expected: 'a PEM certificate, or its base64 body as found in metadata',
      received: text.slice(0, 60),
      fields: { [`idpCertificates.${slot}`]: 'not a readable X.509 certificate' },
    });
  }
}

/** The imported IdP with its slots changed as asked (`secondary: null` empties the Secondary slot). */
export function withCertificateSlots(idp: ImportedIdp, change: IdpCertificatesInput): ImportedIdp {
  const current = certificateSlots(idp);
  const primary = change.primary !== undefined ? readSlot('primary', change.primary) : current?.primary;
  if (primary === undefined) {
    throw new HarnessError('INPUT_INVALID', 'the Primary IdP certificate is empty: set it before the Secondary', {
      fields: { 'idpCertificates.primary': 'required' },
    });
  }
  const secondary =
    change.secondary === null ? undefined : change.secondary !== undefined ? readSlot('secondary', change.secondary) : current?.secondary;
  return { ...idp, certificateSlots: { primary, ...(secondary !== undefined && secondary !== primary && { secondary }) } };
}

export interface SlotView extends CertificateSummary {
  slot: SlotName;
}

/** The two slots with subject, expiry and fingerprints, as the SSO settings page shows them. */
export function certificateSlotsView(idp: ImportedIdp | undefined, nowMs: number): SlotView[] {
  const slots = idp && certificateSlots(idp);
  if (!slots) return [];
  const out: SlotView[] = [{ slot: 'primary', ...summarizeCertificate(pinnedCertificate(slots.primary), nowMs) }];
  if (slots.secondary !== undefined) out.push({ slot: 'secondary', ...summarizeCertificate(pinnedCertificate(slots.secondary), nowMs) });
  return out;
}
