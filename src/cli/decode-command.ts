// `sso-harness decode`: shows the SAML messages in a value, URL, HTML form or HAR file, and with
// --cert or --metadata runs the SP's response checks on them, with a verdict per check.
import type { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseCertificate } from '../crypto/keys.js';
import { findMessages, type FoundMessage, type FoundMessages } from '../decode/messages.js';
import { prettyXml } from '../decode/pretty-xml.js';
import { checkMessage, DECODE_ALLOWED_CLOCK_SKEW_SEC, type DecodeExpectations, type MessageCheckReport } from '../decode/verify.js';
import { parseIdpMetadata } from '../saml/metadata-parse.js';
import { runCommand, unreadableInput, UsageError, writeResult, type CommandArgs } from './command.js';
import { fetchText, readInput } from './input.js';
import { EXIT_STATUS, failWith, processIo, withProgress, type CliIo, type Paint } from './output.js';
import { errorCode, errorMessage } from '../caught-error.js';

export const DECODE_USAGE = `Usage: sso-harness decode [value|file|url|-] [options]

Finds every SAML message (SAMLRequest, SAMLResponse, LogoutRequest, …) in the input and prints
it as indented XML. The input is sniffed: base64 (HTTP-POST), deflated base64 (HTTP-Redirect), a
URL or query string with SAMLRequest=/SAMLResponse=, an HTML auto-post form, the XML itself, or a
HAR file (every SAML message its requests carried, in order). Without an argument, or with -,
standard input is read; another http(s) URL is fetched and its body decoded.

With --cert or --metadata, each Response goes through the SP's validation checks (signature
with the pinned certificate only, shape, algorithms, issuer, audience, time window, …), each
reported pass, fail or skip. A check whose expected value was not given (no --audience, --acs,
--request-id; the IdP entity ID without --metadata) is reported skip, never pass. Time is --now,
else the Response's IssueInstant, so an old capture can still be checked. Nothing is remembered:
InResponseTo is accepted unless --request-id names the request, replay is not checked.

  --cert FILE            a pinned IdP signing certificate, PEM (repeatable)
  --metadata FILE|URL    IdP metadata: its entity ID and signing certificates
  --audience ID          the SP entity ID the assertion must be addressed to
  --acs URL              the SP's ACS URL (Destination, Recipient)
  --now ISO-TIME         check the time window at this instant (default: IssueInstant)
  --request-id ID        the AuthnRequest ID the Response must answer
  --skew SECONDS         clock skew allowed (default ${DECODE_ALLOWED_CLOCK_SKEW_SEC})
  --allow-sha1           accept SHA-1 signatures (old IdPs)
  --json                 one JSON object on stdout
  -h, --help             this text

Exit status:
  0  decoded (and every check run passed or was skipped)
  1  a check failed: the signature does not verify with the certificate, wrong audience, …
  2  bad usage (unknown option, unreadable --cert or --metadata file, bad --now)
  3  the input is unreadable: not base64, truncated, not XML, not SAML, unreachable URL

Examples:
  sso-harness decode 'http://localhost:8400/idp/apps/ringcentral/sso?SAMLRequest=fZFP…'
  pbpaste | sso-harness decode
  sso-harness decode login.har --cert fixtures/keys/idp.cert.pem
  sso-harness decode response.b64 --metadata http://localhost:8400/idp/apps/ringcentral/metadata \\
    --audience https://sso.ringcentral.com --acs https://sso.ringcentral.com/sso/SSOAssertionConsumerService --json`;

const OPTIONS = {
  cert: { type: 'string', multiple: true },
  metadata: { type: 'string' },
  audience: { type: 'string' },
  acs: { type: 'string' },
  now: { type: 'string' },
  'request-id': { type: 'string' },
  skew: { type: 'string' },
  'allow-sha1': { type: 'boolean', default: false },
} as const;

type Values = CommandArgs<typeof OPTIONS>['values'];

async function readCertificate(path: string): Promise<X509Certificate> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the certificate ${path}: ${errorCode(err) ?? errorMessage(err)}`);
  }
  try {
    return parseCertificate(text);
  } catch (err) {
    throw new UsageError(`${path} is not a PEM certificate: ${errorMessage(err)}`);
  }
}

async function loadExpectations(values: Values, io: CliIo, nowMs: number): Promise<DecodeExpectations | undefined> {
  const certs = await Promise.all((values.cert ?? []).map(readCertificate));
  let idpEntityId: string | undefined;
  if (values.metadata !== undefined) {
    const source = values.metadata;
    let xml: string;
    if (/^https?:\/\//i.test(source)) {
      xml = await withProgress(io, `fetching ${source}`, () => fetchText(io, source));
    } else {
      try {
        xml = await readFile(source, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read the metadata ${source}: ${errorCode(err) ?? errorMessage(err)}`);
      }
    }
    try {
      const parsed = parseIdpMetadata(xml, { nowMs });
      idpEntityId = parsed.entityId;
      certs.push(...parsed.certificates.filter((c) => c.use !== 'encryption').map((c) => c.certificate));
    } catch (err) {
      throw new UsageError(`the metadata ${source} is not usable IdP metadata: ${errorMessage(err)}`);
    }
  }
  if (certs.length === 0) {
    const needs = (['audience', 'acs', 'now', 'request-id'] as const).filter((o) => values[o] !== undefined);
    if (needs.length > 0) throw new UsageError(`${needs.map((o) => `--${o}`).join(', ')} need${needs.length === 1 ? 's' : ''} --cert or --metadata`);
    return undefined;
  }
  let checkNowMs: number | undefined;
  if (values.now !== undefined) {
    checkNowMs = Date.parse(values.now);
    if (Number.isNaN(checkNowMs)) throw new UsageError(`--now must be an ISO 8601 time such as 2026-01-31T12:00:00Z, not ${values.now}`);
  }
  let allowedClockSkewSec: number | undefined;
  if (values.skew !== undefined) {
    allowedClockSkewSec = Number(values.skew);
    if (!Number.isFinite(allowedClockSkewSec) || allowedClockSkewSec < 0) throw new UsageError(`--skew must be a number of seconds, not ${values.skew}`);
  }
  return {
    certificates: certs,
    fallbackNowMs: nowMs,
    allowSha1: values['allow-sha1'],
    ...(idpEntityId !== undefined && { idpEntityId }),
    ...(values.audience !== undefined && { audience: values.audience }),
    ...(values.acs !== undefined && { acsUrl: values.acs }),
    ...(values['request-id'] !== undefined && { requestId: values['request-id'] }),
    ...(checkNowMs !== undefined && { nowMs: checkNowMs }),
    ...(allowedClockSkewSec !== undefined && { allowedClockSkewSec }),
  };
}

/** A URL that carries a SAML message is the message, not something to fetch. */
const SAML_URL = /^https?:\/\/[^?#]*\?(.*&)?(SAMLRequest|SAMLResponse)=/i;

const BINDING_NAME = { post: 'HTTP-POST', redirect: 'HTTP-Redirect' } as const;

function formatMessage(m: FoundMessage, index: number, total: number, report: MessageCheckReport | undefined, c: Paint): string {
  const out = [c.bold(`${total > 1 ? `[${index + 1}/${total}] ` : ''}${m.messageType}`) + c.dim(` (${m.param}, ${BINDING_NAME[m.binding]}) from ${m.source}`)];
  if (m.relayState !== undefined) out.push(c.dim(`RelayState: ${m.relayState}`));
  if (m.sigAlg !== undefined) out.push(c.dim(`query signature: ${m.sigAlg}`));
  out.push(prettyXml(m.xml));
  if (report) {
    out.push('', c.bold(`checks${report.checkedAt ? ` at ${report.checkedAt}` : ''}:`));
    const width = Math.max(...report.checks.map((v) => v.check.length));
    for (const v of report.checks) {
      const verdict = v.verdict === 'pass' ? c.green('pass') : v.verdict === 'fail' ? c.red('FAIL') : c.yellow('skip');
      out.push(`  ${verdict}  ${v.check.padEnd(width)}  ${v.verdict === 'skip' ? c.dim(v.detail) : v.detail}${v.code ? ` [${v.code}]` : ''}`);
    }
  }
  return out.join('\n');
}

function summary(found: FoundMessages, reports: (MessageCheckReport | undefined)[], c: Paint): string {
  const n = found.messages.length;
  const head = `${n} SAML message${n === 1 ? '' : 's'} (${found.kind})`;
  if (reports.every((r) => r === undefined)) return `${head}; no --cert or --metadata, so nothing was verified`;
  const failed = reports.filter((r) => r && !r.ok).length;
  return failed === 0 ? c.green(`${head}; every check run passed`) : c.red(`${head}; ${failed} failed a check`);
}

async function decode({ values, positionals }: CommandArgs<typeof OPTIONS>, io: CliIo): Promise<number> {
  if (positionals.length > 1) throw new UsageError(`one input at a time, not ${positionals.length}`);
  const nowMs = (io.now ?? Date.now)();
  const expect = await loadExpectations(values, io, nowMs);
  const spec = positionals[0] ?? '-';
  const reports: (MessageCheckReport | undefined)[] = [];
  const found = await withProgress(io, 'reading the input', async (progress) => {
    const input = SAML_URL.test(spec) ? { text: spec, origin: 'argument' } : await readInput(spec, io, { onSlowStart: (what) => progress.update(what) });
    const messages = findMessages(input.text);
    for (const [i, m] of messages.messages.entries()) {
      progress.update(`checking message ${i + 1} of ${messages.messages.length}`);
      reports.push(expect ? await checkMessage(m, expect) : undefined);
    }
    return messages;
  });
  const ok = reports.every((r) => r === undefined || r.ok);
  const messages = found.messages.map((m, i) => ({ ...m, ...(reports[i] && { verdict: reports[i] }) }));
  writeResult(io, values.json, { input: found.kind, verified: expect !== undefined, ok, messages }, (c) => {
    const blocks = found.messages.map((m, i) => formatMessage(m, i, found.messages.length, reports[i], c));
    return `${blocks.join('\n\n')}\n\n${summary(found, reports, c)}\n`;
  });
  if (ok) return EXIT_STATUS.ok;
  const i = reports.findIndex((r) => r && !r.ok);
  const first = reports[i]?.checks.find((v) => v.verdict === 'fail');
  return failWith(io, 'decode', EXIT_STATUS.failed,
    `message ${i + 1} (${found.messages[i]?.messageType ?? '?'}) fails ${first ? `${first.check}: ${first.detail}${first.code ? ` [${first.code}]` : ''}` : 'a check'}`);
}

/** Runs `decode` with these arguments; resolves to the exit status. */
export function runDecodeCommand(argv: string[], io: CliIo = processIo()): Promise<number> {
  return runCommand({ name: 'decode', usage: DECODE_USAGE, options: OPTIONS, knownError: unreadableInput, unexpectedStatus: EXIT_STATUS.cannotRun, run: decode }, argv, io);
}
