// `sso-harness keys generate`: an RSA key and a self-signed certificate for an IdP or SP, written
// as <out>/<name>.key.pem (mode 0600) and <out>/<name>.cert.pem, never over existing files
// unless --force.
import { X509Certificate } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPair, summarizeCertificate, type CertificateSummary } from '../crypto/keys.js';
import { runCommand, UsageError, writeResult, type CommandArgs } from './command.js';
import { ROTATION_COMMANDS, runKeysRotationCommand } from './keys-rotation-command.js';
import { EXIT_STATUS, failWith, processIo, withProgress, type CliIo } from './output.js';
import { errorCode, errorMessage } from '../caught-error.js';

/** The file a system error names (`EEXIST` names the key file that is already there). */
function existingPath(err: unknown): string | undefined {
  return err instanceof Error && 'path' in err && typeof err.path === 'string' ? err.path : undefined;
}

export const KEYS_USAGE = `Usage: sso-harness keys generate [--bits N] [--days N] [--out DIR] [--name NAME] [options]
       sso-harness keys show|next|rotate --app ID [--url URL] [--token T]   (see keys rotate --help)

Generates an RSA key and a self-signed RSA-SHA256 certificate, writes <out>/<name>.key.pem
(mode 0600) and <out>/<name>.cert.pem, and prints the certificate summary. Existing files are
never overwritten without --force.

  --bits N        RSA key size: 2048 (default), 3072 or 4096
  --days N        certificate lifetime in days (default 3650)
  --out DIR       where to write (default .), created if missing
  --name NAME     file name stem (default signing)
  --cn TEXT       certificate common name (default sso-harness <name>)
  --force         overwrite existing files
  --json          the summary and the paths as one JSON object
  -h, --help      this text

Exit status:
  0  written
  1  the files exist (use --force) or cannot be written
  2  bad usage

Examples:
  sso-harness keys generate --out ./keys --name idp
  sso-harness keys generate --bits 4096 --days 365 --out /etc/sso --name sp --force --json`;

const BITS = new Set([2048, 3072, 4096]);

const OPTIONS = {
  bits: { type: 'string', default: '2048' },
  days: { type: 'string', default: '3650' },
  out: { type: 'string', default: '.' },
  name: { type: 'string', default: 'signing' },
  cn: { type: 'string' },
  force: { type: 'boolean', default: false },
} as const;

export function formatSummary(s: CertificateSummary): string {
  return [
    `subject      ${s.subject.replace(/\n/g, ', ')}`,
    `valid        ${s.notBefore} to ${s.notAfter} (${s.daysToExpiry} days)`,
    `key          ${s.keyType.toUpperCase()} ${s.keyBits ?? '?'} bits`,
    `SHA-1        ${s.sha1}`,
    `SHA-256      ${s.sha256}`,
  ].join('\n');
}

async function generate({ values, positionals }: CommandArgs<typeof OPTIONS>, io: CliIo): Promise<number> {
  if (positionals.length === 0) {
    io.stdout.write(`${KEYS_USAGE}\n`);
    return EXIT_STATUS.usage;
  }
  if (positionals[0] !== 'generate' || positionals.length > 1) throw new UsageError(`unknown keys command ${positionals.join(' ')}`);
  const bits = Number(values.bits);
  if (!BITS.has(bits)) throw new UsageError(`--bits must be 2048, 3072 or 4096, not ${values.bits}`);
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 36500) throw new UsageError(`--days must be a whole number of days (1-36500), not ${values.days}`);
  if (!/^[A-Za-z0-9._-]+$/.test(values.name)) throw new UsageError(`--name must be a plain file name stem, not ${values.name}`);

  const keyPath = join(values.out, `${values.name}.key.pem`);
  const certPath = join(values.out, `${values.name}.cert.pem`);
  const nowMs = (io.now ?? Date.now)();
  const pair = await withProgress(io, `generating an RSA-${bits} key`, () =>
    generateKeyPair({ commonName: values.cn ?? `sso-harness ${values.name}`, bits, days, nowMs }));
  // 'wx' refuses an existing file atomically, so a key is never silently replaced; both paths
  // are looked at first so a refusal never leaves half a pair behind.
  const flag = values.force ? 'w' : 'wx';
  if (!values.force) {
    for (const path of [keyPath, certPath]) {
      if (await stat(path).then(() => true, () => false)) return failWith(io, 'keys', EXIT_STATUS.failed, `${path} exists; use --force to overwrite it`);
    }
  }
  try {
    await mkdir(values.out, { recursive: true });
    await writeFile(keyPath, pair.privateKeyPem, { mode: 0o600, flag });
    await writeFile(certPath, pair.certificatePem, { flag });
  } catch (err) {
    const code = errorCode(err);
    if (code === 'EEXIST') return failWith(io, 'keys', EXIT_STATUS.failed, `${existingPath(err) ?? keyPath} exists; use --force to overwrite it`);
    return failWith(io, 'keys', EXIT_STATUS.failed, `cannot write to ${values.out}: ${code ?? errorMessage(err)}`);
  }
  const summary = summarizeCertificate(new X509Certificate(pair.certificatePem), nowMs);
  writeResult(io, values.json, { key: keyPath, certificate: certPath, summary }, (c) =>
    `${c.green('wrote')} ${keyPath} (mode 0600) and ${certPath}\n${formatSummary(summary)}\n`);
  return EXIT_STATUS.ok;
}

/** Runs `keys` with these arguments; resolves to the exit status. */
export function runKeysCommand(argv: string[], io: CliIo = processIo()): Promise<number> {
  if ((ROTATION_COMMANDS as readonly string[]).includes(argv[0] ?? '')) return runKeysRotationCommand(argv, io);
  return runCommand({ name: 'keys', usage: KEYS_USAGE, options: OPTIONS, unexpectedStatus: EXIT_STATUS.failed, run: generate }, argv, io);
}
