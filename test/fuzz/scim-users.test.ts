// /scim/v2/Users under hostile input: filters, POST/PUT bodies (a valid RingCentral user mutated:
// values of the wrong type, `__proto__`/`constructor`/`prototype` as own keys, deep nesting),
// PATCH bodies, huge strings. Sent as raw JSON text so `__proto__` arrives as a key. Every answer
// is a success or an RFC 7644 error body with a 4xx status; nothing lands on Object.prototype.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import request, { type Response } from 'supertest';
import type { RunningHarness } from '../../src/harness/server.js';
import { ENTERPRISE_USER, PATCH_OP, rcUser, scimTarget, startTestServer, type ScimTarget } from '../scim/support.js';
import { assertPrototypeClean, assertScimAnswer, countCase, crashWatch, deepJson, fuzzParameters, hostileText, mutate, textMutation } from './support.js';

const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const DEEP = { array: '"\u0000deep-array\u0000"', object: '"\u0000deep-object\u0000"' };
const DEEP_LEVELS = 10_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON value, sometimes a marker that `toText` replaces with 10,000 levels of nesting. */
const value: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
  { weight: 2, arbitrary: hostileText(80) },
  { weight: 1, arbitrary: fc.constantFrom<Json>('\u0000deep-array\u0000', '\u0000deep-object\u0000', {}, [], null, 1e308, -0, 'x'.repeat(5000)) },
);

/** JSON text, with the deep markers expanded (JSON.stringify itself would recurse that deep). */
function toText(v: unknown): string {
  return JSON.stringify(v).replaceAll(DEEP.array, deepJson(DEEP_LEVELS, 'array')).replaceAll(DEEP.object, deepJson(DEEP_LEVELS, 'object'));
}

/** Sets `key` as an own, enumerable property (plain assignment of `__proto__` would set the prototype). */
function setOwn(obj: Record<string, unknown>, key: string, v: unknown): void {
  Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
}

type BodyMutation =
  | { kind: 'set'; path: number[]; value: Json }
  | { kind: 'delete'; path: number[] }
  | { kind: 'dangerous-key'; path: number[]; key: (typeof DANGEROUS_KEYS)[number]; value: Json };

const bodyMutation: fc.Arbitrary<BodyMutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), path: fc.array(fc.nat(), { maxLength: 4 }), value }),
  fc.record({ kind: fc.constant('delete' as const), path: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('dangerous-key' as const), path: fc.array(fc.nat(), { maxLength: 3 }), key: fc.constantFrom(...DANGEROUS_KEYS), value: fc.oneof(value, fc.constant({ polluted: 'yes' })) }),
);

const isContainer = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Follows `path` (indices into each container's keys, modulo their number) as far as it goes. */
function locate(root: Record<string, unknown>, path: readonly number[]): { parent: Record<string, unknown>; key: string } | undefined {
  let parent = root;
  for (let i = 0; i < path.length; i++) {
    const keys = Object.keys(parent);
    if (keys.length === 0) return undefined;
    const key = keys[(path[i] as number) % keys.length] as string;
    const child = parent[key];
    if (i === path.length - 1 || !isContainer(child)) return { parent, key };
    parent = child;
  }
  return undefined;
}

function mutateBody(body: Record<string, unknown>, steps: readonly BodyMutation[]): Record<string, unknown> {
  const root = structuredClone(body);
  for (const m of steps) {
    if (m.kind === 'dangerous-key') {
      const at = m.path.length === 0 ? undefined : locate(root, m.path);
      const target = at && isContainer(at.parent[at.key]) ? (at.parent[at.key] as Record<string, unknown>) : root;
      setOwn(target, m.key, structuredClone(m.value));
      continue;
    }
    const at = locate(root, m.path);
    if (!at) continue;
    if (m.kind === 'delete') delete at.parent[at.key];
    else setOwn(at.parent, at.key, structuredClone(m.value));
  }
  return root;
}

const ATTRIBUTE_PATHS = [
  'userName', 'name', 'name.givenName', 'name.familyName', 'emails', 'emails[type eq "work"].value', 'emails[primary eq true]', 'phoneNumbers',
  'phoneNumbers[type eq "mobile"].value', 'addresses', 'addresses[type eq "work"].locality', 'active', 'externalId', `${ENTERPRISE_USER}:department`,
  'meta.lastModified', 'id', '__proto__', '__proto__.polluted', 'constructor.prototype.polluted', 'name.__proto__.polluted', 'emails[__proto__ eq "x"].value',
  'prototype', 'emails[value co "@"]', 'emails[not (type eq "work")]',
];
const attributePath = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ATTRIBUTE_PATHS) }, { weight: 1, arbitrary: hostileText(60) });

const COMPARISONS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le', 'EQ', 'xx'];
const LITERALS = ['"ann@acme.test"', '"x"', '1', 'true', 'false', 'null', '"2026-01-01T00:00:00Z"', '"\\"', '"\\u0000"', '[]', '{}'];

/** Filters from the RFC 7644 grammar's pieces, put together with and without respect for it. */
const filter: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom(...ATTRIBUTE_PATHS), fc.constantFrom(...COMPARISONS), fc.constantFrom(...LITERALS)).map((p) => p.join(' ')),
    fc.constantFrom(...ATTRIBUTE_PATHS).map((a) => `${a} pr`),
    fc.tuple(tie('f'), fc.constantFrom('and', 'or', 'AND', 'xor'), tie('f')).map((p) => p.join(' ')),
    tie('f').map((f) => `not (${f})`),
    tie('f').map((f) => `(${f})`),
    fc.tuple(fc.constantFrom('emails', 'addresses', 'phoneNumbers', 'name'), tie('f')).map(([a, f]) => `${a}[${f}]`),
    hostileText(60),
  ),
})).f;

/** startIndex and count: mostly numbers, so the filter gets evaluated. */
const listNumber = fc.oneof({ weight: 4, arbitrary: fc.integer().map(String) }, { weight: 1, arbitrary: hostileText(10) });

const ops = fc.array(
  fc.record(
    {
      op: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('add', 'remove', 'replace', 'Replace') }, { weight: 1, arbitrary: fc.oneof(fc.constant('copy'), value) }),
      path: fc.oneof({ weight: 6, arbitrary: attributePath }, { weight: 1, arbitrary: value }),
      value,
    },
    { requiredKeys: ['op'] },
  ),
  { maxLength: 4 },
);

describe('/scim/v2/Users: hostile input', () => {
  let server: RunningHarness;
  let target: ScimTarget;
  let userId: string;
  let n = 0;
  const crashes = crashWatch();

  before(async () => {
    crashes.start();
    server = await startTestServer();
    // Rules that would refuse most bodies before they are read are off: the fuzzing goes further.
    target = await scimTarget(server, { rules: { ignoreExtraAttributes: true, pendingOnlyDeletable: false } });
    const created = await target.scim('post', '/Users').send(rcUser('fuzz-target@acme.test')).expect(201);
    userId = created.body.id;
  });
  after(async () => {
    crashes.stop();
    await server.close();
  });
  afterEach(async () => {
    await request(server.server).get('/healthz').expect(200);
    await target.scim('get', '/ServiceProviderConfig').expect(200);
    crashes.check();
    assertPrototypeClean('after the test');
  });

  /** `entry` is the method and route, optionally followed by ` (what the case sends)`. */
  async function check(entry: string, send: Promise<Response>): Promise<void> {
    countCase(entry.replace(/ \(.*$/, ''));
    const res = await send;
    assertScimAnswer(res, entry);
    crashes.check();
    assertPrototypeClean(entry);
  }

  /** A raw JSON text body (never re-serialized by supertest). */
  const write = (method: 'post' | 'put' | 'patch', path: string, text: string) => target.scim(method, path).send(text);

  it('answers any filter with a list or a SCIM error', async () => {
    const query = fc.record(
      { filter, startIndex: listNumber, count: listNumber, attributes: attributePath, excludedAttributes: attributePath, sortBy: attributePath },
      { requiredKeys: ['filter'] },
    );
    await fc.assert(
      fc.asyncProperty(query, (q) => check('GET /scim/v2/Users?filter=', target.scim('get', `/Users?${new URLSearchParams(q as Record<string, string>)}`))),
      fuzzParameters(),
    );
  });

  it('answers mutated and random POST bodies with a created user or a SCIM error', async () => {
    const body = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.array(bodyMutation, { minLength: 1, maxLength: 4 }), fc.nat()).map(([steps, i]) => toText(mutateBody(rcUser(`fuzz-${i}@acme.test`), steps))) },
      { weight: 1, arbitrary: fc.tuple(fc.array(textMutation, { minLength: 1, maxLength: 2 }), fc.nat()).map(([steps, i]) => mutate(JSON.stringify(rcUser(`fuzz-${i}@acme.test`)), steps)) },
      { weight: 1, arbitrary: value.map(toText) },
    );
    await fc.assert(fc.asyncProperty(body, (text) => check('POST /scim/v2/Users', write('post', '/Users', text))), fuzzParameters());
  });

  it('answers mutated PUT bodies with the replaced user or a SCIM error', async () => {
    const body = fc.array(bodyMutation, { minLength: 1, maxLength: 4 }).map((steps) => toText(mutateBody(rcUser('fuzz-target@acme.test'), steps)));
    await fc.assert(fc.asyncProperty(body, (text) => check('PUT /scim/v2/Users/:id', write('put', `/Users/${userId}`, text))), fuzzParameters());
  });

  it('answers PATCH bodies with the patched user or a SCIM error', async () => {
    const body = fc.oneof(
      { weight: 4, arbitrary: ops.map((Operations) => toText({ schemas: [PATCH_OP], Operations })) },
      { weight: 1, arbitrary: fc.tuple(ops, fc.array(bodyMutation, { maxLength: 3 })).map(([Operations, steps]) => toText(mutateBody({ schemas: [PATCH_OP], Operations }, steps))) },
      { weight: 1, arbitrary: value.map(toText) },
    );
    await fc.assert(fc.asyncProperty(body, (text) => check('PATCH /scim/v2/Users/:id', write('patch', `/Users/${userId}`, text))), fuzzParameters());
  });

  describe('fixed hostile cases', () => {
    const deepBodies = (): [string, string][] =>
      (['array', 'object'] as const).flatMap((kind) => [
        [`a body ${DEEP_LEVELS} ${kind}s deep`, deepJson(DEEP_LEVELS, kind)],
        [`a userName ${DEEP_LEVELS} ${kind}s deep`, JSON.stringify(rcUser(`deep-${kind}-${n++}@acme.test`)).replace(/"userName":"[^"]*"/, `"userName":${deepJson(DEEP_LEVELS, kind)}`)],
        [`an enterprise extension ${DEEP_LEVELS} ${kind}s deep`, JSON.stringify(rcUser(`deep-ext-${kind}-${n++}@acme.test`)).replace(/"department":"Engineering"/, `"department":"x","nested":${deepJson(DEEP_LEVELS, kind)}`)],
        [`an unknown attribute ${DEEP_LEVELS} ${kind}s deep`, JSON.stringify(rcUser(`deep-extra-${kind}-${n++}@acme.test`)).replace(/^\{/, `{"extra":${deepJson(DEEP_LEVELS, kind)},`)],
      ]);

    it('answers deeply nested POST and PUT bodies with a SCIM error or a user', async () => {
      for (const [what, text] of deepBodies()) {
        await check(`POST /scim/v2/Users (${what})`, write('post', '/Users', text));
        await check(`PUT /scim/v2/Users/:id (${what})`, write('put', `/Users/${userId}`, text));
      }
    });

    it('answers deeply nested PATCH values with a SCIM error or the patched user', async () => {
      for (const kind of ['array', 'object'] as const) {
        for (const path of [undefined, 'name', 'emails', 'addresses', 'name.givenName', 'nickName']) {
          for (const op of ['add', 'replace']) {
            const operation = `{"op":"${op}",${path ? `"path":"${path}",` : ''}"value":${path ? deepJson(DEEP_LEVELS, kind) : `{"extra":${deepJson(DEEP_LEVELS, kind)}}`}}`;
            await check(`PATCH /scim/v2/Users/:id (${op} ${path ?? '(no path)'} ${kind}s)`, write('patch', `/Users/${userId}`, `{"schemas":["${PATCH_OP}"],"Operations":[${operation}]}`));
          }
        }
      }
      await check('PATCH /scim/v2/Users/:id (deep Operations)', write('patch', `/Users/${userId}`, `{"schemas":["${PATCH_OP}"],"Operations":${deepJson(DEEP_LEVELS, 'array')}}`));
    });

    it('refuses filters naming `__proto__`, `constructor` or `prototype` as unknown attributes', async () => {
      for (const key of DANGEROUS_KEYS) {
        for (const f of [`${key} eq "x"`, `emails[${key} eq "x"]`, `emails[${key} eq "x"].value co "x"`, `name.${key} pr`]) {
          const res = await target.scim('get', `/Users?filter=${encodeURIComponent(f)}`);
          assertScimAnswer(res, `filter ${f}`);
          assert.equal(res.status, 400, `filter ${f}: ${res.text}`);
          assert.equal(res.body.scimType, 'invalidFilter');
        }
      }
    });

    it('answers a deeply parenthesized filter with a SCIM error', async () => {
      const depth = 2000;
      await check('GET /scim/v2/Users?filter= (deep)', target.scim('get', `/Users?filter=${encodeURIComponent(`${'('.repeat(depth)}userName eq "x"${')'.repeat(depth)}`)}`));
      await check('GET /scim/v2/Users?filter= (deep not)', target.scim('get', `/Users?filter=${encodeURIComponent(`${'not ('.repeat(depth / 2)}userName eq "x"${')'.repeat(depth / 2)}`)}`));
    });

    it('answers huge strings with a SCIM error or a user', async () => {
      const huge = 'x'.repeat(900_000);
      await check('POST /scim/v2/Users (huge userName)', write('post', '/Users', JSON.stringify(rcUser(`${huge}@acme.test`))));
      await check('POST /scim/v2/Users (huge givenName)', write('post', '/Users', JSON.stringify(rcUser('huge-name@acme.test', { name: { givenName: huge, familyName: 'H' } }))));
      await check('POST /scim/v2/Users (over 1 MB)', write('post', '/Users', JSON.stringify(rcUser('too-big@acme.test', { externalId: 'y'.repeat(1_100_000) }))));
      await check('PATCH /scim/v2/Users/:id (huge value)', write('patch', `/Users/${userId}`, JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'externalId', value: huge }] })));
    });

    it('takes `__proto__`, `constructor` and `prototype` keys as data, not as the prototype', async () => {
      for (const key of DANGEROUS_KEYS) {
        const polluting = `{"${key}":{"polluted":"yes","prototype":{"polluted":"yes"}}}`;
        const user = JSON.stringify(rcUser(`proto-${key}@acme.test`)).replace(/^\{/, `{"${key}":{"polluted":"yes"},`).replace(/"name":\{/, `"name":{"${key}":{"polluted":"yes"},`);
        await check(`POST /scim/v2/Users (${key})`, write('post', '/Users', user));
        await check(`POST /scim/v2/Users (only ${key})`, write('post', '/Users', polluting));
        for (const op of ['add', 'replace']) {
          await check(`PATCH /scim/v2/Users/:id (${op} ${key} without a path)`, write('patch', `/Users/${userId}`, `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"${op}","value":${polluting}}]}`));
          for (const path of [key, `${key}.polluted`, `name.${key}`, `name.${key}.polluted`, `emails[type eq "work"].${key}`]) {
            await check(`PATCH /scim/v2/Users/:id (${op} ${path})`, write('patch', `/Users/${userId}`, JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op, path, value: { polluted: 'yes' } }] })));
          }
        }
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  });
});
