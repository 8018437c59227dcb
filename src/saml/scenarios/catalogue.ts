// The response scenario catalogue, in the order `GET /idp/api/scenarios` lists it: the positive
// twins, the replay (right after them, so in a run through the list the previous response is an
// accepted one), then the attacks by family and the everyday faults. Every row of the attack
// catalogue (/work/shared/reference/saml-attacks.md) that an IdP can produce is here.
import { ENCRYPTED_SCENARIOS } from './encrypted.js';
import { INJECTION_SCENARIOS } from './injection.js';
import { PARSER_SCENARIOS } from './parser.js';
import { clockOffsetScenarioById, PROTOCOL_FAULT_SCENARIOS, REPLAY_SCENARIO } from './protocol-faults.js';
import { RELAY_STATE_SCENARIOS } from './relay-state.js';
import { SIGNATURE_EXCLUSION_SCENARIOS } from './signature-exclusion.js';
import { SIGNATURE_GAME_SCENARIOS } from './signature-games.js';
import { TRUNCATION_SCENARIOS } from './truncation.js';
import type { ResponseScenario } from './types.js';
import { VALID_SCENARIOS } from './valid.js';
import { WRAPPING_SCENARIOS } from './wrapping.js';

export const RESPONSE_SCENARIOS: readonly ResponseScenario[] = Object.freeze([
  ...VALID_SCENARIOS,
  REPLAY_SCENARIO,
  ...SIGNATURE_EXCLUSION_SCENARIOS,
  ...WRAPPING_SCENARIOS,
  ...PARSER_SCENARIOS,
  ...TRUNCATION_SCENARIOS,
  ...SIGNATURE_GAME_SCENARIOS,
  ...PROTOCOL_FAULT_SCENARIOS,
  ...ENCRYPTED_SCENARIOS,
  ...RELAY_STATE_SCENARIOS,
  ...INJECTION_SCENARIOS,
]);

const BY_ID = new Map(RESPONSE_SCENARIOS.map((s) => [s.id, s]));

/**
 * A listed scenario, or a clock offset one for any N in 1..1440 minutes:
 * `clock-skew-ahead-<N>m` / `clock-skew-behind-<N>m` (verdicts in protocol-faults.ts).
 */
export function scenarioById(id: string): ResponseScenario | undefined {
  return BY_ID.get(id) ?? clockOffsetScenarioById(id);
}
