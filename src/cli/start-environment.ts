// Where `sso-harness start` takes each harness option from: its flag, else the config file's
// field (when the file has one), else its environment variable (as a container image sets them),
// else the built-in default. A variable set to the empty string counts as unset (compose files
// write `VAR=` for "not given"). The options, their checks and their names in each source are
// declared once (harness/start-options.ts); a bad flag or variable stops start-up with one line
// naming it, and the config file's fields were checked, with their lines, when it was read.
import type { ConfigFileOptions } from '../harness/config-file.js';
import { START_OPTIONS, startOptionFromText, type StartOption, type StartOptionName } from '../harness/start-options.js';
import { HarnessError } from '../errors.js';
import { parseStoreSpec } from '../store/open.js';
import type { IdpFlavor } from '../idp/model.js';

/** The variables `start` reads, by the option each stands in for. */
export const START_VARIABLES = {
  port: START_OPTIONS.port.variable,
  host: START_OPTIONS.host.variable,
  baseUrl: START_OPTIONS.baseUrl.variable,
  adminToken: START_OPTIONS.adminToken.variable,
  store: START_OPTIONS.store.variable,
  config: 'SSO_HARNESS_CONFIG',
  data: START_OPTIONS.dataDir.variable,
} as const;

/** A variable's value, or undefined when it is unset or empty. */
export function fromEnvironment(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** The flags of `start` that set harness options, as parseArgs gives them (by name without `--`). */
export type StartFlags = Partial<Record<string, string | boolean | undefined>>;

/** The harness options `start` resolved from its flags, config file and environment. */
export interface StartSettings {
  port: number;
  host?: string;
  baseUrl?: string;
  dataDir?: string;
  store: string;
  adminToken?: string;
  idpFlavor?: IdpFlavor;
}

/** `start`'s defaults where they differ from the harness config's own. */
const START_DEFAULTS = { port: 8400, store: 'sqlite' } as const;

const invalid = (message: string): HarnessError => new HarnessError('CONFIG_INVALID', message);

function checked<T>(option: StartOption<T>, source: string, text: string): T {
  const result = startOptionFromText(option, source, text);
  if ('refusal' in result) throw invalid(result.refusal);
  return result.value;
}

/**
 * Resolves each start option from the flags, the config file's options (already checked, dataDir
 * already made absolute) and the environment, in that order. Throws CONFIG_INVALID naming the flag
 * or variable a bad value came from.
 */
export function resolveStartSettings(flags: StartFlags, file: ConfigFileOptions | undefined, env: NodeJS.ProcessEnv): StartSettings {
  const settings: Record<string, unknown> = { ...START_DEFAULTS };
  for (const [name, option] of Object.entries(START_OPTIONS) as [StartOptionName, StartOption][]) {
    const flag = 'flag' in option ? option.flag : undefined;
    const flagText = flag === undefined ? undefined : flags[flag.slice(2)];
    const fileValue = 'fileKey' in option && file !== undefined ? file[name as keyof ConfigFileOptions] : undefined;
    const variable = 'variable' in option ? option.variable : undefined;
    const variableText = variable === undefined ? undefined : fromEnvironment(env, variable);
    // The --store flag keeps its own messages (and exit status) from the store module.
    if (typeof flagText === 'string') settings[name] = name === 'store' ? flagText : checked(option, flag!, flagText);
    else if (fileValue !== undefined) settings[name] = fileValue;
    else if (variableText !== undefined) settings[name] = checked(option, variable!, variableText);
  }
  const storeVariable = fromEnvironment(env, START_VARIABLES.store);
  if (flags.store === undefined && storeVariable !== undefined) {
    try {
      parseStoreSpec(storeVariable, typeof settings.dataDir === 'string' ? settings.dataDir : '.');
    } catch (err) {
      if (err instanceof HarnessError) throw invalid(`${START_VARIABLES.store}: ${err.message.replace(/^store: /, '')}`);
      throw err;
    }
  }
  return settings as unknown as StartSettings;
}
