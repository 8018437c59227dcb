// The response scenario catalogue, in the order `GET /idp/api/scenarios` lists it.
import { buildResponse } from '../response-builder.js';
import type { ResponseScenario } from './types.js';

const valid: ResponseScenario = {
  id: 'valid',
  title: 'The genuine response, signed as the application says',
  kind: 'valid',
  expect: { verdict: 'accept' },
  build: (ctx) => ({ xml: buildResponse(ctx.spec).xml }),
};

export const RESPONSE_SCENARIOS: readonly ResponseScenario[] = [valid];

export function scenarioById(id: string): ResponseScenario | undefined {
  return RESPONSE_SCENARIOS.find((s) => s.id === id);
}
