// The `start --config FILE` file (JSON or YAML): harness options and the seed data, validated
// with messages that name the field and the file line. No I/O: the CLI passes the text in and
// reads the key files this returns the paths of.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { z } from 'zod';
import { HarnessError } from '../errors.js';
import { appSettings, groupInput, userInput } from '../idp/inputs.js';
import { MAX_CLIENTS_PER_ACCOUNT } from '../sp/oauth/account-clients.js';
import { accountInput, accountOAuthClientInput, chosenSecret, scimSettingsInput, spUserInput, ssoSettingsInput } from '../sp/inputs.js';
import type { HarnessConfigInput } from './config.js';
import type { Seed } from './seed.js';
import { allowedClockSkewSecSchema, clockOffsetSchema, MAX_CLOCK_OFFSET_MS, requestMaxAgeSecSchema, START_OPTIONS } from './start-options.js';
import { errorMessage } from '../caught-error.js';

const keyFilesSchema = z.object({ key: z.string().min(1), cert: z.string().min(1) }).strict();

const appSchema = z
  .object({
    template: z.string().min(1).default('custom-saml'),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes').optional(),
    displayLabel: z.string().trim().min(1).max(100).optional(),
    mydomain: z.string().trim().regex(/^[A-Za-z0-9.-]+(:[0-9]+)?$/, 'a host name, optionally with :port').optional(),
    attributes: z.unknown().optional(),
    signing: z
      .object({ assertion: z.boolean(), response: z.boolean(), algorithm: z.enum(['rsa-sha256', 'rsa-sha512', 'rsa-sha1']) })
      .partial()
      .strict()
      .optional(),
    responseScenario: z.string().min(1).max(100).optional(),
    /** Groups bound to the application, by name. */
    groups: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .superRefine((a, ctx) => {
    // The IdP's own settings schema checks the attribute statements.
    const attrs = appSettings.safeParse({ attributes: a.attributes ?? [] });
    if (!attrs.success) for (const i of attrs.error.issues) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
  });

const accountSchema = accountInput
  .extend({
    users: z.array(spUserInput).default([]),
    sso: ssoSettingsInput.optional(),
    scim: scimSettingsInput.optional(),
    /**
     * Outside OAuth clients of the account (Okta's "OAuth 2" SCIM connection, a connector). The
     * secret is written here (a generated one could never be read back: only its hash is kept).
     */
    oauthClients: z.array(accountOAuthClientInput.extend({ clientSecret: chosenSecret })).max(MAX_CLIENTS_PER_ACCOUNT).default([]),
  })
  .strict();

const minutesOffset = z.number().min(-MAX_CLOCK_OFFSET_MS / 60_000).max(MAX_CLOCK_OFFSET_MS / 60_000);

const wireSchema = z.union([z.boolean(), z.array(z.object({ app: z.string().min(1), account: z.string().min(1) }).strict())]);

export const configFileSchema = z
  .object({
    // The harness options: their checks are the harness config's own (start-options.ts).
    port: START_OPTIONS.port.schema.optional(),
    baseUrl: START_OPTIONS.baseUrl.schema.optional(),
    /** Relative to the config file. */
    dataDir: START_OPTIONS.dataDir.schema.optional(),
    idpFlavor: START_OPTIONS.idpFlavor.schema.optional(),
    adminToken: START_OPTIONS.adminToken.schema.optional(),
    /** PEM files, relative to the config file. `spEncryption` gives the SP an encryption key pair (assertion decryption). */
    keys: z.object({ idp: keyFilesSchema, sp: keyFilesSchema, spEncryption: keyFilesSchema }).partial().strict().optional(),
    /** Each side's simulated clock offset, in ms (negative: behind): the harness config's `clockOffsetMs`. */
    clockOffsetMs: clockOffsetSchema.optional(),
    /** The older name of `clockOffsetMs`, in minutes; still read. */
    clockSkewMinutes: z
      .object({ idp: minutesOffset, sp: minutesOffset })
      .partial()
      .strict()
      .optional(),
    /**
     * How the IdP reads an AuthnRequest's IssueInstant: `clockSkewSec` (default 180) allowed in
     * each direction, `requestMaxAgeSec` (default 300) the oldest a request may be; the harness
     * config's `idp.clockSkewSec` and `idp.requestMaxAgeSec`.
     */
    idpRequests: z
      .object({ clockSkewSec: allowedClockSkewSecSchema, requestMaxAgeSec: requestMaxAgeSecSchema })
      .partial()
      .strict()
      .optional(),
    /** IdP users. */
    users: z.array(userInput).default([]),
    /** IdP groups, members by email. */
    groups: z.array(groupInput).default([]),
    /** IdP applications. */
    applications: z.array(appSchema).default([]),
    /** SP accounts with their users, SSO settings and SCIM rules/pools. */
    accounts: z.array(accountSchema).default([]),
    /** `true`: wire the only application to the only account like the demo; or a list of `{ app, account }`. */
    wire: wireSchema.default(false),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.clockOffsetMs !== undefined && c.clockSkewMinutes !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['clockSkewMinutes'], message: 'is the older name of clockOffsetMs: give one of them' });
    }
    const emails = new Set(c.users.map((u) => u.email.trim().toLowerCase()));
    c.groups.forEach((g, gi) =>
      g.members?.forEach((m, mi) => {
        if (!emails.has(m.trim().toLowerCase())) ctx.addIssue({ code: 'custom', path: ['groups', gi, 'members', mi], message: `no user with email ${m} in users` });
      }),
    );
    const clientIds = new Set<string>();
    c.accounts.forEach((a, ai) =>
      a.oauthClients.forEach((client, ci) => {
        if (client.clientId === undefined) return;
        if (clientIds.has(client.clientId)) ctx.addIssue({ code: 'custom', path: ['accounts', ai, 'oauthClients', ci, 'clientId'], message: `duplicate clientId ${client.clientId}` });
        clientIds.add(client.clientId);
      }),
    );
    const groupNames = new Set(c.groups.map((g) => g.name));
    c.applications.forEach((a, ai) =>
      a.groups.forEach((g, gi) => {
        if (!groupNames.has(g)) ctx.addIssue({ code: 'custom', path: ['applications', ai, 'groups', gi], message: `no group named ${g} in groups` });
      }),
    );
    if (c.wire === true && (c.applications.length !== 1 || c.accounts.length !== 1 || c.applications[0]?.id === undefined || c.accounts[0]?.id === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['wire'], message: 'true needs exactly one application and one account, both with an id; otherwise list [{ app, account }]' });
    }
    if (Array.isArray(c.wire)) {
      c.wire.forEach((w, wi) => {
        if (!c.applications.some((a) => a.id === w.app)) ctx.addIssue({ code: 'custom', path: ['wire', wi, 'app'], message: `no application with id ${w.app}` });
        if (!c.accounts.some((a) => a.id === w.account)) ctx.addIssue({ code: 'custom', path: ['wire', wi, 'account'], message: `no account with id ${w.account}` });
      });
    }
  });

export type ConfigFileInput = z.input<typeof configFileSchema>;

/** The harness options a config file gives, in the harness config's shape; `dataDir` is still relative to the file. */
export type ConfigFileOptions = Pick<HarnessConfigInput, 'port' | 'baseUrl' | 'dataDir' | 'idpFlavor' | 'adminToken' | 'clockOffsetMs' | 'idp'>;

/** A loaded config file: harness options (key paths still to be read) and the seed. */
export interface ConfigFile {
  options: ConfigFileOptions;
  keyFiles: { idp?: { key: string; cert: string }; sp?: { key: string; cert: string }; spEncryption?: { key: string; cert: string } };
  seed: Seed;
}

/** One problem of a config file, with the line it is on when known. */
export interface ConfigProblem {
  line?: number;
  field: string;
  message: string;
}

export function formatProblems(file: string, problems: readonly ConfigProblem[]): string[] {
  return problems.map((p) => `${file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.field}: ${p.message}`);
}

/** The line (1-based) of the deepest node of `path` that exists: a key's line for map entries. */
function lineOf(root: Node | null | undefined, path: readonly PropertyKey[], lines: LineCounter): number | undefined {
  let node: unknown = root;
  let offset: number | undefined = (root as Node | undefined)?.range?.[0];
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (!item) break;
      offset = (item as Node).range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

function invalid(file: string, problems: ConfigProblem[]): HarnessError {
  return new HarnessError('CONFIG_INVALID', formatProblems(file, problems).join('\n'), {
    fields: Object.fromEntries(problems.map((p) => [p.field, p.message])),
  });
}

/**
 * Parses and validates a config file's text. JSON when the name ends in `.json` (or the text
 * starts with `{`), YAML otherwise. Throws CONFIG_INVALID whose message has one
 * `file:line: field.path: message` line per problem.
 */
export function parseConfigFile(text: string, file: string): ConfigFile {
  const json = /\.json$/i.test(file) || /^\s*\{/.test(text);
  const lines = new LineCounter();
  let data: unknown;
  if (json) {
    try {
      data = JSON.parse(text);
    } catch (err) {
      const message = errorMessage(err);
      const at = /position (\d+)/.exec(message);
      // Older messages have no position: YAML's parser (a superset of JSON) finds the spot.
      const offset = at ? Number(at[1]) : parseDocument(text).errors[0]?.pos[0];
      const line = offset !== undefined ? text.slice(0, offset).split('\n').length : undefined;
      const reason = message.split(/, "|\n| in JSON at/)[0]?.replace(/^JSON\.parse: /, '') ?? message;
      throw invalid(file, [{ ...(line !== undefined && { line }), field: '(syntax)', message: `not valid JSON: ${reason}` }]);
    }
  }
  // YAML is a superset of JSON, so its parser gives line positions for JSON too.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (!json) {
    if (doc.errors.length > 0) {
      throw invalid(
        file,
        doc.errors.map((e) => ({ line: lines.linePos(e.pos[0]).line, field: '(syntax)', message: `not valid YAML: ${e.message.split('\n')[0]}` })),
      );
    }
    data = doc.toJS();
  }
  if (data === null || data === undefined) data = {};
  const parsed = configFileSchema.safeParse(data);
  if (!parsed.success) {
    throw invalid(
      file,
      parsed.error.issues.map((i) => {
        // An unknown key is reported on its own line, not its parent's.
        const where = i.code === 'unrecognized_keys' && i.keys.length > 0 ? [...i.path, i.keys[0]!] : i.path;
        const line = lineOf(doc.contents, where, lines);
        return { ...(line !== undefined && { line }), field: i.path.map(String).join('.') || '(root)', message: i.message };
      }),
    );
  }
  const c = parsed.data;
  const wire = c.wire === true ? [{ app: c.applications[0]!.id!, account: c.accounts[0]!.id! }] : c.wire === false ? [] : c.wire;
  const minutes = c.clockSkewMinutes;
  const clockOffsetMs = c.clockOffsetMs ?? (minutes && {
    ...(minutes.idp !== undefined && { idp: minutes.idp * 60_000 }),
    ...(minutes.sp !== undefined && { sp: minutes.sp * 60_000 }),
  });
  return {
    options: {
      ...(c.port !== undefined && { port: c.port }),
      ...(c.baseUrl !== undefined && { baseUrl: c.baseUrl }),
      ...(c.dataDir !== undefined && { dataDir: c.dataDir }),
      ...(c.idpFlavor !== undefined && { idpFlavor: c.idpFlavor }),
      ...(c.adminToken !== undefined && { adminToken: c.adminToken }),
      ...(clockOffsetMs !== undefined && { clockOffsetMs }),
      ...(c.idpRequests !== undefined && Object.keys(c.idpRequests).length > 0 && { idp: c.idpRequests }),
    },
    keyFiles: c.keys ?? {},
    seed: {
      // The seed is sent as written (the admin APIs apply their own defaults).
      users: (data as ConfigFileInput).users ?? [],
      groups: c.groups.map((g) => ({ name: g.name, members: g.members })),
      applications: c.applications.map((a) => ({
        template: a.template,
        ...(a.id !== undefined && { id: a.id }),
        ...(a.displayLabel !== undefined && { displayLabel: a.displayLabel }),
        ...(a.mydomain !== undefined && { mydomain: a.mydomain }),
        ...(a.attributes !== undefined && { attributes: a.attributes as NonNullable<Seed['applications']>[number]['attributes'] }),
        ...(a.signing !== undefined && { signing: a.signing }),
        ...(a.responseScenario !== undefined && { responseScenario: a.responseScenario }),
        groups: a.groups,
      })),
      accounts: ((data as ConfigFileInput).accounts ?? []).map((a) => ({ ...a })),
      wire,
    },
  };
}
