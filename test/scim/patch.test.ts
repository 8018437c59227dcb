import assert from 'node:assert/strict';
import { HarnessError } from '../../src/errors.js';
import { scimAnswerOf } from '../../src/scim/errors.js';
import { applyPatch, readPatchRequest } from '../../src/scim/patch.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const user = (): Record<string, unknown> => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: 'u1',
  userName: 'ann@acme.test',
  name: { givenName: 'Ann', familyName: 'Lee' },
  active: true,
  emails: [{ value: 'ann@acme.test', type: 'work', primary: true }],
  phoneNumbers: [
    { value: '+1555', type: 'mobile' },
    { value: '+1666', type: 'work' },
  ],
  meta: { resourceType: 'User', created: '2024-01-01T00:00:00.000Z' },
});

const patch = (ops: Record<string, unknown>[], ignoreUnknown = true) =>
  applyPatch(user(), readPatchRequest({ schemas: [PATCH_OP], Operations: ops }), { ignoreUnknown });

const scimFailure = (status: number, scimType: string | undefined, detail: RegExp) => (err: unknown) =>
  err instanceof HarnessError && err.status === status && scimAnswerOf(err)?.body.scimType === scimType && detail.test(err.message);

describe('applyPatch', () => {
  const cases: [string, Record<string, unknown>[], (r: Record<string, unknown>) => unknown, unknown][] = [
    ['path-less replace of active (Okta deactivation)', [{ op: 'replace', value: { active: false } }], (r) => r.active, false],
    ['op names in any case', [{ op: 'Replace', path: 'active', value: false }, { op: 'ADD', path: 'externalId', value: 'x1' }], (r) => [r.active, r.externalId], [false, 'x1']],
    ['attribute names in any case', [{ op: 'replace', path: 'Name.GivenName', value: 'Anne' }], (r) => r.name, { givenName: 'Anne', familyName: 'Lee' }],
    ['a value path with a sub-attribute', [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'anne@acme.test' }], (r) => r.emails, [{ value: 'anne@acme.test', type: 'work', primary: true }]],
    ['add through a value path that matches nothing creates the element (Entra)', [{ op: 'Add', path: 'phoneNumbers[type eq "fax"].value', value: '+1777' }], (r) => (r.phoneNumbers as unknown[]).length, 3],
    ['remove through a value path', [{ op: 'remove', path: 'phoneNumbers[type eq "mobile"]' }], (r) => r.phoneNumbers, [{ value: '+1666', type: 'work' }]],
    ['remove of a sub-attribute', [{ op: 'remove', path: 'name.familyName' }], (r) => r.name, { givenName: 'Ann' }],
    ['add to a multi-valued attribute appends', [{ op: 'add', path: 'phoneNumbers', value: [{ value: '+1888', type: 'home' }] }], (r) => (r.phoneNumbers as unknown[]).length, 3],
    ['replace of a multi-valued attribute replaces it', [{ op: 'replace', path: 'phoneNumbers', value: [{ value: '+1888', type: 'home' }] }], (r) => r.phoneNumbers, [{ value: '+1888', type: 'home' }]],
    ['replace of a complex attribute merges sub-attributes', [{ op: 'replace', path: 'name', value: { familyName: 'Li' } }], (r) => r.name, { givenName: 'Ann', familyName: 'Li' }],
    ['path-less dotted keys', [{ op: 'replace', value: { 'name.familyName': 'Li', userName: 'li@acme.test' } }], (r) => [(r.name as { familyName: string }).familyName, r.userName], ['Li', 'li@acme.test']],
    ['a URN-qualified path into the enterprise extension', [{ op: 'add', path: `${ENTERPRISE}:department`, value: 'Sales' }], (r) => r[ENTERPRISE], { department: 'Sales' }],
    ['a path-less extension object', [{ op: 'replace', value: { [ENTERPRISE]: { Department: 'Ops' } } }], (r) => r[ENTERPRISE], { department: 'Ops' }],
    ['null clears an attribute', [{ op: 'replace', path: 'externalId', value: 'x' }, { op: 'replace', path: 'externalId', value: null }], (r) => 'externalId' in r, false],
    ['"" clears an attribute', [{ op: 'replace', value: { name: { givenName: '' } } }], (r) => r.name, { givenName: '', familyName: 'Lee' }],
    ['an unchanged readOnly attribute is ignored', [{ op: 'replace', value: { id: 'u1', active: false } }], (r) => [r.id, r.active], ['u1', false]],
    ['an unknown attribute is skipped when extra attributes are ignored', [{ op: 'add', path: 'nickName', value: 'A' }], (r) => 'nickName' in r, false],
  ];
  for (const [name, ops, read, expected] of cases) {
    it(name, () => {
      assert.deepEqual(read(patch(ops)), expected);
    });
  }

  it('leaves the input untouched', () => {
    const input = user();
    applyPatch(input, readPatchRequest({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'name.givenName', value: 'X' }] }), { ignoreUnknown: true });
    assert.equal((input.name as { givenName: string }).givenName, 'Ann');
  });

  const failures: [string, Record<string, unknown>[], ReturnType<typeof scimFailure>][] = [
    ['remove without a path', [{ op: 'remove' }], scimFailure(400, 'noTarget', /remove needs a path/)],
    ['replace through a value path that matches nothing', [{ op: 'replace', path: 'emails[type eq "home"].value', value: 'x@y.test' }], scimFailure(400, 'noTarget', /matches no value/)],
    ['remove through a value path that matches nothing', [{ op: 'remove', path: 'phoneNumbers[type eq "pager"]' }], scimFailure(400, 'noTarget', /matches no value/)],
    ['a change to id', [{ op: 'replace', path: 'id', value: 'u2' }], scimFailure(400, 'mutability', /read-only/)],
    ['a path-less change to meta', [{ op: 'replace', value: { meta: { created: 'x' } } }], scimFailure(400, 'mutability', /read-only/)],
    ['an unknown op', [{ op: 'move', path: 'active', value: true }], scimFailure(400, 'invalidSyntax', /add, remove or replace/)],
    ['a malformed value path', [{ op: 'replace', path: 'emails[type eq "work"]]x', value: 'a' }], scimFailure(400, 'invalidPath', /not a SCIM path/)],
    ['a filter on a single-valued attribute', [{ op: 'replace', path: 'name[givenName eq "Ann"]', value: 'a' }], scimFailure(400, 'invalidPath', /multi-valued/)],
    ['a broken value filter', [{ op: 'replace', path: 'emails[type eq].value', value: 'a' }], scimFailure(400, 'invalidFilter', /value filter/)],
    [
      'a value filter nested 20,000 deep, before parsing it',
      [{ op: 'replace', path: `emails[${'('.repeat(20_000)}type eq "work"${')'.repeat(20_000)}].value`, value: 'a' }],
      scimFailure(400, 'invalidFilter', /characters long; the limit is 2000|levels deep/),
    ],
    [
      'a value filter nested deeper than 32 levels',
      [{ op: 'replace', path: `emails[${'('.repeat(40)}type eq "work"${')'.repeat(40)}].value`, value: 'a' }],
      scimFailure(400, 'invalidFilter', /40 levels deep; the limit is 32/),
    ],
    ['replace without a value', [{ op: 'replace', path: 'active' }], scimFailure(400, 'invalidValue', /needs a value/)],
    ['path-less replace with a non-object value', [{ op: 'replace', value: false }], scimFailure(400, 'invalidValue', /object value/)],
  ];
  for (const [name, ops, check] of failures) {
    it(`refuses ${name}`, () => {
      assert.throws(() => patch(ops), check);
    });
  }

  it('refuses an unknown attribute when extra attributes are not ignored', () => {
    assert.throws(() => patch([{ op: 'add', path: 'nickName', value: 'A' }], false), scimFailure(400, 'invalidPath', /rule ignoreExtraAttributes/));
  });
});

describe('readPatchRequest', () => {
  it('needs the PatchOp schema', () => {
    assert.throws(() => readPatchRequest({ Operations: [{ op: 'add', path: 'active', value: true }] }), scimFailure(400, 'invalidSyntax', /PatchOp/));
  });

  it('needs at least one operation', () => {
    assert.throws(() => readPatchRequest({ schemas: [PATCH_OP], Operations: [] }), scimFailure(400, 'invalidSyntax', /non-empty/));
  });

  it('reads member names in any case', () => {
    assert.deepEqual(readPatchRequest({ Schemas: [PATCH_OP], operations: [{ OP: 'Remove', Path: 'externalId' }] }), [{ op: 'remove', path: 'externalId' }]);
  });
});
