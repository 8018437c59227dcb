// `sso-harness start`: the server. The pre-wired demo by default, empty with --blank, or the
// users, applications and accounts of a config file (--config, JSON or YAML).
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ConfigFile, ConfigFileOptions } from '../harness/config-file.js';
import type { HarnessConfigInput } from '../harness/config.js';
import { seedDemo } from '../harness/demo.js';
import { HarnessError } from '../errors.js';
import { applySeed } from '../harness/seed.js';
import { listen, type RunningHarness } from '../harness/server.js';
import { startBanner } from './start-banner.js';
import { fromEnvironment, resolveStartSettings, START_VARIABLES, type StartSettings } from './start-environment.js';
import { errorCode, errorMessage } from '../caught-error.js';

export const START_USAGE = `Usage: sso-harness start [--config FILE] [--port N] [--host H] [--data DIR] [--store WHERE] [--idp-flavor jumpcloud|okta] [--base-url URL] [--blank]

  --config FILE   users, groups, applications, accounts, keys, clock offsets and rules (JSON or YAML);
                  its seed replaces the demo (see examples/harness.config.yaml); $SSO_HARNESS_CONFIG
  --port N        port to listen on (default: the file's, $PORT or 8400)
  --host H        interface to listen on (default $SSO_HARNESS_HOST or 127.0.0.1; 0.0.0.0 for all)
  --data DIR      where keys and the database are kept (default: the file's, $SSO_HARNESS_DATA
                  or ./.sso-harness)
  --store WHERE   where the state lives: sqlite (default: DIR/harness.db, kept across restarts),
                  a SQLite file path, postgres://user:pass@host:port/db (instances sharing one
                  state), or memory ($SSO_HARNESS_STORE sets the default). A store that already
                  holds state is used as it is: the demo or the config file's seed is not applied
  --idp-flavor F  jumpcloud (default) or okta
  --base-url URL  public URL people and peers use (default: the file's, $SSO_HARNESS_BASE_URL or
                  http://localhost:<port>); needed when the port they reach differs from --port
  --blank         start empty: no demo, no seed from the config file. A SQLite store that
                  holds state is moved aside first (renamed beside it, never deleted; the banner
                  says where); a PostgreSQL store that holds state is refused (STORE_NOT_EMPTY).
                  A restart without --blank keeps what was set up since

  The admin token is the file's adminToken, else $SSO_HARNESS_ADMIN_TOKEN, else generated.
  A flag wins over the config file, and the file over the environment variable.`;

export interface StartOptions {
  argv: string[];
  env?: NodeJS.ProcessEnv;
  out?: (text: string) => void;
  err?: (text: string) => void;
  /** Extra harness options (tests pass fixed keys, a quick password hash, a silent log). */
  overrides?: HarnessConfigInput;
}

export interface StartResult {
  exitCode: number;
  running?: RunningHarness;
}

async function readPair(baseDir: string, files: { key: string; cert: string }): Promise<{ privateKeyPem: string; certificatePem: string }> {
  const read = (f: string): Promise<string> =>
    readFile(resolve(baseDir, f), 'utf8').catch((e: unknown) => {
      const reason = e instanceof Error ? ('code' in e && typeof e.code === 'string' ? e.code : e.message) : String(e);
      throw new HarnessError('CONFIG_INVALID', `cannot read key file ${f}: ${reason}`);
    });
  return { privateKeyPem: await read(files.key), certificatePem: await read(files.cert) };
}

/** Starts the server and returns it (still listening); `exitCode` 2 for bad usage or an invalid config file. */
export async function startServer(opts: StartOptions): Promise<StartResult> {
  const out = opts.out ?? ((t) => process.stdout.write(t));
  const err = opts.err ?? ((t) => process.stderr.write(t));
  const env = opts.env ?? process.env;
  let values;
  try {
    ({ values } = parseArgs({
      args: opts.argv,
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        store: { type: 'string' },
        'idp-flavor': { type: 'string' },
        'base-url': { type: 'string' },
        blank: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    err(`sso-harness start: ${errorMessage(e)}\n\n${START_USAGE}\n`);
    return { exitCode: 2 };
  }
  if (values.help) {
    out(`${START_USAGE}\n`);
    return { exitCode: 0 };
  }
  // $SSO_HARNESS_CONFIG is the default of --config: from here on the path is in values.config.
  const configFromVariable = values.config === undefined && fromEnvironment(env, START_VARIABLES.config) !== undefined;
  values.config ??= fromEnvironment(env, START_VARIABLES.config);

  let file: ConfigFile | undefined;
  let fileOptions: ConfigFileOptions | undefined;
  const keys: NonNullable<HarnessConfigInput['keys']> = {};
  if (values.config !== undefined) {
    try {
      const path = resolve(values.config);
      // The config file's parser (YAML, the seed schemas) loads only when there is a file to read.
      const { parseConfigFile } = await import('../harness/config-file.js');
      file = parseConfigFile(await readFile(path, 'utf8'), values.config);
      const baseDir = dirname(path);
      fileOptions = { ...file.options, ...(file.options.dataDir !== undefined && { dataDir: resolve(baseDir, file.options.dataDir) }) };
      if (file.keyFiles.idp) keys.idp = await readPair(baseDir, file.keyFiles.idp);
      if (file.keyFiles.sp) keys.sp = await readPair(baseDir, file.keyFiles.sp);
      if (file.keyFiles.spEncryption) keys.spEncryption = await readPair(baseDir, file.keyFiles.spEncryption);
    } catch (e) {
      if (e instanceof HarnessError && e.code === 'CONFIG_INVALID') {
        err(`sso-harness: CONFIG_INVALID: ${values.config} is not a valid configuration\n${e.message}\n`);
        return { exitCode: 2 };
      }
      if (errorCode(e) === 'ENOENT') {
        err(`sso-harness: CONFIG_INVALID: no such file ${values.config}${configFromVariable ? ` (from ${START_VARIABLES.config})` : ''}\n`);
        return { exitCode: 2 };
      }
      throw e;
    }
  }

  let settings: StartSettings;
  try {
    settings = resolveStartSettings(values, fileOptions, env);
  } catch (e) {
    if (!(e instanceof HarnessError)) throw e;
    err(`sso-harness: ${e.code}: ${e.message}\n`);
    return { exitCode: 2 };
  }
  const demo = file === undefined && !values.blank;
  const seeded = file !== undefined && !values.blank;
  const { adminToken, ...startSettings } = settings;
  const running = await listen(
    {
      ...(fileOptions?.idp !== undefined && { idp: fileOptions.idp }),
      // The file's clock offsets belong to the setup its seed makes: a blank start runs on time.
      ...(seeded && fileOptions?.clockOffsetMs !== undefined && { clockOffsetMs: fileOptions.clockOffsetMs }),
      ...((keys.idp || keys.sp || keys.spEncryption) && { keys }),
      ...(adminToken !== undefined && { adminToken }),
      ...opts.overrides,
      ...startSettings,
      demo,
      ...(values.blank && { startEmpty: true }),
    },
    {
      seed: {
        what: demo ? 'demo' : seeded ? `config file ${values.config}` : 'blank',
        run: async (target) => {
          if (demo) await seedDemo(target);
          if (file && seeded) await applySeed(file.seed, target);
        },
      },
    },
  );
  const { config, restored } = running;

  out(
    startBanner({
      config,
      adminTokenGenerated: running.adminTokenGenerated,
      start: values.blank
        ? { kind: 'blank' }
        : file
          ? {
              kind: 'seed',
              file: values.config ?? '',
              users: file.seed.users?.length ?? 0,
              applications: file.seed.applications?.length ?? 0,
              accounts: file.seed.accounts?.length ?? 0,
              appIds: (file.seed.applications ?? []).flatMap((a) => (a.id ? [a.id] : [])),
            }
          : { kind: 'demo' },
      restored,
      setAsideTo: running.app.harness.store.setAsideTo,
    }),
  );
  return { exitCode: 0, running };
}

/**
 * The CLI entry: starts the server; on SIGINT or SIGTERM it stops accepting, lets requests in
 * flight finish (5 s at most), closes the store and exits 0. A second signal exits at once.
 */
export async function runStartCommand(argv: string[]): Promise<number> {
  const { exitCode, running } = await startServer({ argv });
  if (running) {
    const stop = (signal: NodeJS.Signals): void => {
      process.stderr.write(`sso-harness: ${signal}: finishing requests in flight, closing the store …\n`);
      process.once(signal, () => process.exit(1));
      running.close({ graceMs: 5000 }).then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`sso-harness: closing failed: ${errorMessage(err)}\n`);
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  return exitCode;
}
