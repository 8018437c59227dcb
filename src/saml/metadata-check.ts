// Will this IdP and this SP work together? Compares the two metadata documents (bindings, request
// signing, algorithms, entity IDs, ACS, NameID formats, the email and number attributes) and says
// for each finding what to change. Pure: the caller reads the documents and supplies the clock.
import { HarnessError, isHarnessError } from '../errors.js';
import { descendants } from './dom.js';
import { loadRoot, parseIdpMetadata, parseSpMetadata, type ParsedIdpMetadata, type ParsedSpMetadata } from './metadata-parse.js';
import { isRingCentralSp } from './metadata-report.js';
import { BINDING, CLAIM, NAMEID_FORMAT, NS, SIGNATURE_ALGORITHMS } from './urn.js';

export type FindingSeverity = 'error' | 'warning' | 'ok';

export interface PairFinding {
  severity: FindingSeverity;
  topic: 'entity-id' | 'binding' | 'signing' | 'algorithm' | 'acs' | 'certificate' | 'name-id' | 'attributes';
  message: string;
  /** What to change; absent on `ok`. */
  fix?: string;
}

export interface PairCheck {
  idpEntityId: string;
  spEntityId: string;
  ringCentral: boolean;
  findings: PairFinding[];
  errors: number;
  warnings: number;
}

/** alg:SigningMethod URIs declared anywhere in the metadata (none means "not declared"). */
function declaredSigningMethods(xml: string): string[] {
  return descendants(loadRoot(xml), NS.algsupport, 'SigningMethod').map((e) => e.getAttribute('Algorithm') ?? '').filter((a) => a !== '');
}

function algorithmFindings(idpXml: string): PairFinding[] {
  const declared = declaredSigningMethods(idpXml);
  if (declared.length === 0) {
    return [{ severity: 'ok', topic: 'algorithm', message: 'the IdP metadata declares no signing algorithms (alg:SigningMethod); the SP expects RSA-SHA256 or stronger' }];
  }
  const strong = declared.filter((a) => a in SIGNATURE_ALGORITHMS && !SIGNATURE_ALGORITHMS[a as keyof typeof SIGNATURE_ALGORITHMS].weak);
  if (strong.length === 0) {
    return [{ severity: 'error', topic: 'algorithm', message: `the IdP signs only with ${declared.join(', ')}`, fix: 'set the IdP\'s Signature Algorithm to RSA-SHA256' }];
  }
  return [{ severity: 'ok', topic: 'algorithm', message: `the IdP can sign with ${strong.map((a) => SIGNATURE_ALGORITHMS[a as keyof typeof SIGNATURE_ALGORITHMS].name).join(', ')}` }];
}

function bindingFindings(idp: ParsedIdpMetadata, ringCentral: boolean): PairFinding[] {
  const redirect = idp.ssoServices.find((s) => s.binding === BINDING.redirect);
  if (redirect) return [{ severity: 'ok', topic: 'binding', message: `the SP can send its AuthnRequest by HTTP-Redirect to ${redirect.location}` }];
  if (idp.ssoServices.length === 0) {
    return [{ severity: 'error', topic: 'binding', message: 'the IdP lists no SingleSignOnService: the SP has nowhere to send its AuthnRequest', fix: 'publish an SSO endpoint and export the metadata again' }];
  }
  // Nothing public says RingCentral cannot post its AuthnRequest (the harness's SP does), so an
  // HTTP-POST-only IdP is a warning for RingCentral too.
  return [{
    severity: 'warning', topic: 'binding',
    message: ringCentral
      ? 'the IdP has no HTTP-Redirect SingleSignOnService: RingCentral must POST its AuthnRequests, which its documents do not confirm (the harness\'s SP does)'
      : 'the IdP has no HTTP-Redirect SingleSignOnService: the SP must POST its AuthnRequests',
    fix: 'publish an HTTP-Redirect SSO endpoint (JumpCloud: tick "Declare Redirect Endpoint" on the SSO tab) and export the metadata again',
  }];
}

function signingFindings(idp: ParsedIdpMetadata, sp: ParsedSpMetadata): PairFinding[] {
  const out: PairFinding[] = [];
  const spSigning = sp.certificates.some((c) => c.use !== 'encryption');
  if (idp.wantAuthnRequestsSigned === true && !sp.authnRequestsSigned) {
    out.push({ severity: 'error', topic: 'signing', message: 'the IdP wants signed AuthnRequests but the SP does not sign them (AuthnRequestsSigned is false)',
      fix: 'turn on request signing at the SP, or turn off "WantAuthnRequestsSigned" at the IdP' });
  } else if (idp.wantAuthnRequestsSigned === true && !spSigning) {
    out.push({ severity: 'error', topic: 'signing', message: 'the IdP wants signed AuthnRequests but the SP metadata has no signing certificate to verify them with',
      fix: 'publish the SP\'s signing certificate (KeyDescriptor use="signing") and upload the SP metadata to the IdP again' });
  } else if (sp.authnRequestsSigned && !spSigning) {
    out.push({ severity: 'warning', topic: 'signing', message: 'the SP signs its AuthnRequests but publishes no signing certificate, so the IdP cannot verify them',
      fix: 'add a KeyDescriptor use="signing" to the SP metadata' });
  } else {
    out.push({ severity: 'ok', topic: 'signing', message: `AuthnRequests: the SP ${sp.authnRequestsSigned ? 'signs them' : 'does not sign them'}, the IdP ${idp.wantAuthnRequestsSigned ? 'requires' : 'does not require'} signatures` });
  }
  out.push(sp.wantAssertionsSigned
    ? { severity: 'ok', topic: 'signing', message: 'the SP wants signed assertions: set the IdP to sign the assertion (JumpCloud "Sign: Assertion"; Okta "Assertion Signature: Signed")' }
    : { severity: 'ok', topic: 'signing', message: 'the SP accepts a signed response or a signed assertion' });
  return out;
}

function certificateFindings(idp: ParsedIdpMetadata): PairFinding[] {
  const signing = idp.certificates.filter((c) => c.use !== 'encryption');
  const usable = signing.filter((c) => !c.summary.expired && c.summary.keyType === 'rsa');
  if (usable.length === 0) {
    return [{ severity: 'error', topic: 'certificate', message: 'the IdP has no unexpired RSA signing certificate, so the SP can verify nothing it signs',
      fix: 'install a new RSA signing certificate at the IdP and import its metadata again' }];
  }
  const weak = usable.filter((c) => (c.summary.keyBits ?? 0) < 2048);
  if (weak.length === usable.length) {
    return [{ severity: 'warning', topic: 'certificate', message: `the IdP signs with a ${weak[0]?.summary.keyBits}-bit RSA key`, fix: 'replace it with a 2048-bit (or larger) key' }];
  }
  const soonest = Math.min(...usable.map((c) => c.summary.daysToExpiry));
  const rollover = rolloverFindings(signing.map((c) => c.summary));
  if (soonest < 30) {
    return [{ severity: 'warning', topic: 'certificate', message: `the IdP signing certificate expires in ${soonest} days`, fix: 'add its successor to the IdP metadata and import it at the SP before then' }, ...rollover];
  }
  return [{ severity: 'ok', topic: 'certificate', message: `the IdP signing certificate is valid for ${soonest} more days` }, ...rollover];
}

/** Several signing certificates: a key rollover in progress. RingCentral trusts the first two (Primary and Secondary). */
function rolloverFindings(signing: { sha256: string; notAfter: string }[]): PairFinding[] {
  if (signing.length < 2) return [];
  const listed = signing.map((c, i) => `${i === 0 ? 'Primary' : i === 1 ? 'Secondary' : `#${i + 1}`} SHA-256 ${c.sha256.slice(0, 11)}… until ${c.notAfter.slice(0, 10)}`).join('; ');
  if (signing.length > 2) {
    return [{ severity: 'warning', topic: 'certificate', message: `the IdP lists ${signing.length} signing certificates (${listed}); an SP with two certificate slots, such as RingCentral, trusts the first two only`,
      fix: 'publish at most the current and the next signing certificate' }];
  }
  return [{ severity: 'ok', topic: 'certificate', message: `the IdP lists two signing certificates, a key rollover (${listed}): the SP should trust both until the IdP rotates` }];
}

function entityFindings(idp: ParsedIdpMetadata, sp: ParsedSpMetadata, ringCentral: boolean): PairFinding[] {
  if (idp.entityId === sp.entityId) {
    return [{ severity: 'error', topic: 'entity-id', message: `the IdP and the SP share the entity ID ${idp.entityId}`, fix: 'give the IdP its own entity ID (JumpCloud: IdP Entity ID field)' }];
  }
  return [{ severity: 'ok', topic: 'entity-id', message: ringCentral
    ? `entity IDs differ; RingCentral also needs the IdP entity ID ${idp.entityId} to be used by this account only (else make it unique, e.g. JumpCloud's IdP Entity ID field)`
    : `entity IDs differ: IdP ${idp.entityId}, SP ${sp.entityId}` }];
}

function acsFindings(sp: ParsedSpMetadata): PairFinding[] {
  const post = sp.acs.filter((a) => a.binding === BINDING.post);
  const chosen = post.find((a) => a.isDefault) ?? post[0];
  const plain = post.filter((a) => a.location.startsWith('http:'));
  if (chosen && plain.length === post.length && plain.length > 0) {
    return [{ severity: 'warning', topic: 'acs', message: `the SP's HTTP-POST ACS ${chosen.location} is plain http://`, fix: 'publish an https:// ACS URL' }];
  }
  return [{ severity: 'ok', topic: 'acs', message: `the IdP will POST responses to ${chosen?.location ?? '?'}` }];
}

function nameIdFindings(idp: ParsedIdpMetadata, sp: ParsedSpMetadata): PairFinding[] {
  const wild = (formats: readonly string[]): boolean => formats.includes(NAMEID_FORMAT.unspecified) || formats.includes(NAMEID_FORMAT.unspecified10);
  if (idp.nameIdFormats.length === 0 || sp.nameIdFormats.length === 0 || wild(idp.nameIdFormats) || wild(sp.nameIdFormats)) {
    return [{ severity: 'ok', topic: 'name-id', message: 'NameID formats are compatible (one side lists none or unspecified)' }];
  }
  const shared = idp.nameIdFormats.filter((f) => sp.nameIdFormats.includes(f));
  if (shared.length === 0) {
    return [{ severity: 'warning', topic: 'name-id', message: `no NameID format in common (IdP: ${idp.nameIdFormats.join(', ')}; SP: ${sp.nameIdFormats.join(', ')})`,
      fix: `set the IdP's NameID format to ${sp.nameIdFormats[0]}` }];
  }
  return [{ severity: 'ok', topic: 'name-id', message: `shared NameID format ${shared[0]}` }];
}

function attributeFindings(idp: ParsedIdpMetadata): PairFinding[] {
  const attrs = new Set(idp.attributes.map((a) => a.toLowerCase()));
  const out: PairFinding[] = [];
  if (attrs.has('email')) out.push({ severity: 'ok', topic: 'attributes', message: 'the IdP offers "email": map it at the SP (Map Email Attribute to: email)' });
  else if (attrs.has(CLAIM.emailAddress)) out.push({ severity: 'ok', topic: 'attributes', message: `the IdP offers the claim ${CLAIM.emailAddress}: map it at the SP (Map Email Attribute to: that URI)` });
  else if (idp.nameIdFormats.includes(NAMEID_FORMAT.emailAddress)) {
    out.push({ severity: 'warning', topic: 'attributes', message: 'the IdP metadata offers no "email" attribute, only an emailAddress NameID',
      fix: 'map the SP\'s email to SAML_SUBJECT (the NameID), or add an "email" attribute at the IdP' });
  } else {
    out.push({ severity: 'warning', topic: 'attributes', message: 'the IdP metadata offers no "email" attribute and no emailAddress NameID (attributes are not always listed in metadata)',
      fix: 'add the attribute "email" at the IdP and choose Custom, email under Map Email Attribute to' });
  }
  out.push(attrs.has('number')
    ? { severity: 'ok', topic: 'attributes', message: 'the IdP offers "number"' }
    : { severity: 'warning', topic: 'attributes', message: 'the IdP metadata does not list the "number" attribute RingCentral needs for SSO',
      fix: 'add the attribute "number" at the IdP (JumpCloud: populated by default; Okta: number = user.primaryPhone)' });
  return out;
}

/** Says which of the two documents an error is about. */
function naming<T>(role: 'IdP' | 'SP', read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (isHarnessError(err)) throw new HarnessError(err.code, `the ${role} metadata: ${err.message}`, err.details);
    throw err;
  }
}

/** Compares IdP and SP metadata. Unreadable metadata throws METADATA_INVALID (from metadata-parse). */
export function checkPair(idpXml: string, spXml: string, opts: { nowMs: number }): PairCheck {
  const idp = naming('IdP', () => parseIdpMetadata(idpXml, opts));
  const sp = naming('SP', () => parseSpMetadata(spXml, opts));
  const ringCentral = isRingCentralSp(sp.entityId);
  const findings = [
    ...entityFindings(idp, sp, ringCentral),
    ...bindingFindings(idp, ringCentral),
    ...acsFindings(sp),
    ...signingFindings(idp, sp),
    ...algorithmFindings(idpXml),
    ...certificateFindings(idp),
    ...nameIdFindings(idp, sp),
    ...(ringCentral ? attributeFindings(idp) : []),
  ];
  return {
    idpEntityId: idp.entityId,
    spEntityId: sp.entityId,
    ringCentral,
    findings,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
  };
}
