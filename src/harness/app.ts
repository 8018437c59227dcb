// createApp(): builds a harness from a config (keys, store, trace, both sides) and the HTTP app
// that serves it (src/http/app.ts), without listening (see server.ts for that).
import type { RequestListener } from 'node:http';
import { buildHttpApp } from '../http/app.js';
import { resolveConfig, type HarnessConfigInput, type ResolvedConfig } from './config.js';
import { createHarnessContext, type HarnessContext } from './context.js';

/**
 * The app as a Node request listener (what `http.createServer` and supertest take) with the
 * harness it serves. Express stays an implementation detail: its types are not part of the
 * package's API, so a TypeScript user needs no @types/express.
 */
export type HarnessApp = RequestListener & { harness: HarnessContext };

export async function createApp(input: HarnessConfigInput | ResolvedConfig = {}): Promise<HarnessApp> {
  const config = 'adminTokenGenerated' in input ? input : resolveConfig(input);
  const harness = await createHarnessContext(config);
  return Object.assign(buildHttpApp(harness, config), { harness });
}
