// Positive twins: genuine responses in the shapes real IdPs send, which a strict SP accepts.
import { ALGORITHM } from '../urn.js';
import { ACCEPT, fromSpec, withSigning } from './spec-edit.js';
import type { ResponseScenario } from './types.js';

export const VALID_SCENARIOS: readonly ResponseScenario[] = [
  {
    id: 'valid',
    title: 'The genuine response, signed as the application says',
    kind: 'valid',
    expect: ACCEPT,
    build: fromSpec((spec) => spec),
  },
  {
    id: 'valid-response-signed',
    title: 'The genuine response with only the Response signed (the assertion is covered by it)',
    kind: 'valid',
    expect: ACCEPT,
    build: fromSpec((spec) => withSigning(spec, { assertion: false, response: true })),
  },
  {
    id: 'valid-both-signed',
    title: 'The genuine response with both the assertion and the Response signed',
    kind: 'valid',
    expect: ACCEPT,
    build: fromSpec((spec) => withSigning(spec, { assertion: true, response: true })),
  },
  {
    id: 'valid-rsa-sha512',
    title: 'The genuine response signed with rsa-sha512 / sha512',
    kind: 'valid',
    expect: ACCEPT,
    build: fromSpec((spec) => withSigning(spec, { algorithm: ALGORITHM.rsaSha512 })),
  },
  {
    id: 'valid-rsa-sha384',
    title: 'The genuine response signed with rsa-sha384 / sha384',
    kind: 'valid',
    expect: ACCEPT,
    build: fromSpec((spec) => withSigning(spec, { algorithm: ALGORITHM.rsaSha384 })),
  },
];
