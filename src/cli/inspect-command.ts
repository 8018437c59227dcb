// `sso-harness inspect`: a readable report on IdP or SP metadata (or an aggregate of both), with
// the warnings an administrator should act on and what RingCentral needs of it.
import { reportMetadata, type EntityReport, type MetadataReport, type RequirementCheck, type ReportedCertificate } from '../saml/metadata-report.js';
import { BINDING_OR_NAMEID_PREFIX } from '../saml/urn.js';
import { runCommand, unreadableInput, UsageError, writeResult, type CommandArgs } from './command.js';
import { readInputWithProgress } from './input.js';
import { EXIT_STATUS, processIo, type CliIo, type Paint } from './output.js';

export const INSPECT_USAGE = `Usage: sso-harness inspect <file|url|-> [--json] [--strict]

Reads SAML 2.0 metadata (an IdP, an SP, or an EntitiesDescriptor holding several) and prints, per
entity and role: the entity ID, endpoints by binding, NameID formats, certificates (subject, key,
validity, days to expiry, SHA-1 and SHA-256 fingerprints), the signing flags, the attributes an
IdP offers; then warnings (expiring or expired certificate, key under 2048 bits, http:// endpoint,
no Redirect binding, missing signing certificate, elements out of schema order) and what a
RingCentral integration needs of the IdP. A URL is fetched (10 s timeout, 16 MB cap).

  --json        one JSON object on stdout
  --strict      exit 1 when there are warnings
  -h, --help    this text

Exit status:
  0  the metadata was read (with --strict: and it has no warnings)
  1  --strict and there are warnings
  2  bad usage
  3  the input is unreadable: not XML, not SAML metadata, a broken certificate, unreachable URL

Examples:
  sso-harness inspect fixtures/metadata/idp.jumpcloud-style.xml
  sso-harness inspect http://localhost:8400/idp/apps/ringcentral/metadata --json
  curl -s https://sp.example.com/saml/metadata | sso-harness inspect - --strict`;

const OPTIONS = { strict: { type: 'boolean', default: false } } as const;

/** The last segment of a binding or NameID format URN: HTTP-Redirect, emailAddress. */
export function shortUrn(urn: string): string {
  return urn.replace(BINDING_OR_NAMEID_PREFIX, '');
}

function certificateLines(c: ReportedCertificate, p: Paint): string[] {
  const days = c.expired ? p.red(`expired ${-c.daysToExpiry} days ago`) : c.daysToExpiry < 30 ? p.yellow(`${c.daysToExpiry} days left`) : `${c.daysToExpiry} days left`;
  const bits = c.keyBits === undefined ? c.keyType : `${c.keyType.toUpperCase()} ${c.keyBits} bits`;
  return [
    `    ${p.bold(c.use)}  ${c.subject.replace(/\n/g, ', ')}`,
    `      key ${(c.keyBits ?? 2048) < 2048 ? p.yellow(bits) : bits}, valid ${c.notBefore.slice(0, 10)} to ${c.notAfter.slice(0, 10)} (${days})`,
    `      SHA-1   ${c.sha1}`,
    `      SHA-256 ${c.sha256}`,
  ];
}

function requirementLine(r: RequirementCheck, p: Paint): string {
  const mark = r.met === true ? p.green('ok  ') : r.met === false ? p.red('MISS') : p.yellow('?   ');
  return `    ${mark} ${r.requirement}${r.met === false && r.fix ? p.dim(`; fix: ${r.fix}`) : ''}`;
}

function entityText(e: EntityReport, p: Paint): string[] {
  const out: string[] = [];
  for (const role of e.roles) {
    out.push(p.bold(`${role.role === 'idp' ? 'IdP' : 'SP'}  ${e.entityId}`));
    out.push(`  ${role.role === 'idp' ? 'SSO endpoints' : 'ACS endpoints'}:`);
    const width = Math.max(...Object.keys(role.endpoints).map((b) => shortUrn(b).length));
    for (const [binding, locations] of Object.entries(role.endpoints)) {
      for (const l of locations) out.push(`    ${shortUrn(binding).padEnd(width)}  ${l.startsWith('http:') ? p.yellow(l) : l}`);
    }
    out.push(`  NameID formats: ${role.nameIdFormats.map(shortUrn).join(', ') || '(none listed)'}`);
    if (role.role === 'idp') {
      out.push(`  WantAuthnRequestsSigned: ${role.wantAuthnRequestsSigned ?? '(not set)'}`);
      out.push(`  Attributes offered: ${role.attributes.join(', ') || '(none listed)'}`);
    } else {
      out.push(`  AuthnRequestsSigned: ${role.authnRequestsSigned}`, `  WantAssertionsSigned: ${role.wantAssertionsSigned}`);
    }
    if (role.validUntil) out.push(`  validUntil: ${role.validUntil}`);
    out.push(`  Certificates:${role.certificates.length === 0 ? ' (none)' : ''}`);
    for (const c of role.certificates) out.push(...certificateLines(c, p));
  }
  if (e.cacheDuration) out.push(`  cacheDuration: ${e.cacheDuration}`);
  if (e.signature) {
    out.push(e.signature.verifiedBy
      ? `  Signed: verifies with its signing certificate SHA-256 ${e.signature.verifiedBy}`
      : `  Signed: ${p.yellow('does not verify with any signing certificate it publishes')}`);
  }
  if (e.ringCentral.length > 0) {
    out.push(`  RingCentral needs${e.roles.some((r) => r.role === 'idp') ? ' of this IdP' : ''}:`);
    for (const r of e.ringCentral) out.push(requirementLine(r, p));
  }
  return out;
}

export function formatReport(report: MetadataReport, source: string, p: Paint): string {
  const out = [p.dim(`${report.document} from ${source}`), ''];
  for (const e of report.entities) out.push(...entityText(e, p), '');
  if (report.warnings.length === 0) out.push(p.green('No warnings.'));
  else {
    out.push(p.yellow(`${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}:`));
    for (const w of report.warnings) out.push(`  ${p.yellow('!')} ${w}`);
  }
  return `${out.join('\n')}\n`;
}

async function inspect({ values, positionals }: CommandArgs<typeof OPTIONS>, io: CliIo): Promise<number> {
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the metadata: a file, a URL or - for standard input' : `one input at a time, not ${positionals.length}`);
  const spec = positionals[0] ?? '-';
  const input = await readInputWithProgress(spec, io);
  const report = reportMetadata(input.text, { nowMs: (io.now ?? Date.now)() });
  writeResult(io, values.json, { source: input.origin, ...report }, (p) => formatReport(report, input.origin, p));
  return values.strict && report.warnings.length > 0 ? EXIT_STATUS.failed : EXIT_STATUS.ok;
}

/** Runs `inspect` with these arguments; resolves to the exit status. */
export function runInspectCommand(argv: string[], io: CliIo = processIo()): Promise<number> {
  return runCommand({ name: 'inspect', usage: INSPECT_USAGE, options: OPTIONS, knownError: unreadableInput, unexpectedStatus: EXIT_STATUS.cannotRun, run: inspect }, argv, io);
}
