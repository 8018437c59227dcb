// Row 39: RelayState games. The SP keeps the RelayState it sent with the request and must get
// exactly that back; it never redirects to another origin, and the binding allows 80 bytes.
import { MAX_RELAY_STATE_BYTES } from '../validate/relay-state.js';
import { genuine, reject } from './spec-edit.js';
import type { ResponseScenario } from './types.js';

const OPEN_REDIRECT = 'https://evil.example/landing';
const TOO_LONG = `/sp/home?${'x'.repeat(MAX_RELAY_STATE_BYTES * 2)}`;

export const RELAY_STATE_SCENARIOS: readonly ResponseScenario[] = [
  {
    id: 'relay-state-open-redirect',
    title: 'The genuine response with RelayState https://evil.example/landing (open redirect)',
    row: 39,
    kind: 'attack',
    expect: reject('SAML_RELAY_STATE'),
    build: (ctx) => ({ xml: genuine(ctx.spec), relayState: OPEN_REDIRECT }),
  },
  {
    id: 'relay-state-too-long',
    title: `The genuine response with a ${Buffer.byteLength(TOO_LONG)}-byte RelayState (the binding allows ${MAX_RELAY_STATE_BYTES})`,
    row: 39,
    kind: 'fault',
    expect: reject('SAML_RELAY_STATE'),
    build: (ctx) => ({ xml: genuine(ctx.spec), relayState: TOO_LONG }),
  },
];
