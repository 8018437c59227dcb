import assert from 'node:assert/strict';
import { HarnessError } from '../../src/errors.js';
import { scimAnswerOf } from '../../src/scim/errors.js';
import { compileFilter } from '../../src/scim/filter.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const users: Record<string, unknown>[] = [
  {
    id: 'u1',
    externalId: 'ext-ABC',
    userName: 'ann@acme.test',
    name: { givenName: 'Ann', familyName: 'Lee' },
    active: true,
    emails: [{ value: 'ann@acme.test', type: 'work', primary: true }],
    phoneNumbers: [{ value: '+1555', type: 'mobile' }],
    [ENTERPRISE]: { department: 'Sales' },
    meta: { created: '2024-01-01T00:00:00.000Z', lastModified: '2024-03-01T00:00:00.000Z' },
  },
  {
    id: 'u2',
    userName: 'bob@beta.test',
    name: { givenName: 'Bob', familyName: 'Stone' },
    active: false,
    emails: [{ value: 'bob@beta.test', type: 'work' }],
    meta: { created: '2024-06-01T00:00:00.000Z', lastModified: '2024-06-01T00:00:00.000Z' },
  },
];

const matching = (filter: string): string[] => users.filter(compileFilter(filter)).map((u) => u.id as string);

describe('compileFilter', () => {
  const cases: [string, string[]][] = [
    ['userName eq "ann@acme.test"', ['u1']],
    ['userName eq "ANN@ACME.TEST"', ['u1']],
    ['USERNAME EQ "ann@acme.test"', ['u1']],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bob@beta.test"', ['u2']],
    ['email eq "BOB@beta.test"', ['u2']],
    ['emails eq "bob@beta.test"', ['u2']],
    ['emails.value co "acme"', ['u1']],
    ['emails[type eq "work" and value sw "b"]', ['u2']],
    ['emails[TYPE eq "work"] and emails.primary eq true', ['u1']],
    ['name.givenName sw "a"', ['u1']],
    ['userName ew ".TEST"', ['u1', 'u2']],
    ['userName ne "ann@acme.test"', ['u2']],
    ['not (userName eq "ann@acme.test")', ['u2']],
    ['(userName eq "ann@acme.test" or userName eq "bob@beta.test") and active eq true', ['u1']],
    ['userName eq "x@x.test" OR active Eq False', ['u2']],
    ['active eq "false"', ['u2']],
    ['externalId pr', ['u1']],
    ['phoneNumbers pr', ['u1']],
    ['externalId eq "ext-ABC"', ['u1']],
    ['externalId eq "ext-abc"', []],
    [`${ENTERPRISE}:department eq "sales"`, ['u1']],
    ['meta.created gt "2024-03-01T00:00:00Z"', ['u2']],
    ['meta.lastModified le "2024-03-01T00:00:00Z"', ['u1']],
    ['userName gt "b"', ['u2']],
    ['userName eq null', []],
  ];
  for (const [filter, expected] of cases) {
    it(`${filter} matches ${expected.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(matching(filter), expected);
    });
  }

  const invalid: [string, string, RegExp][] = [
    ['userName eq', 'invalidFilter', /not valid SCIM filter syntax/],
    ['userName xx "a"', 'invalidFilter', /not valid/],
    ['userName eq "a" junk', 'invalidFilter', /not valid/],
    ['nickName eq "a"', 'invalidFilter', /unknown attribute "nickName"/],
    ['emails[nope eq "a"]', 'invalidFilter', /unknown attribute "nope"; use one of value, type, primary/],
    ['active gt true', 'invalidFilter', /boolean/],
    ['name eq "Ann"', 'invalidFilter', /complex/],
    ['meta.created gt "yesterday"', 'invalidFilter', /ISO 8601/],
    [Array.from({ length: 51 }, (_, i) => `userName eq "u${i}"`).join(' or '), 'tooMany', /51 comparisons/],
    [`${'('.repeat(33)}userName eq "a"${')'.repeat(33)}`, 'invalidFilter', /33 levels deep; the limit is 32/],
    [`emails[${'not ('.repeat(40)}type eq "work"${')'.repeat(40)}]`, 'invalidFilter', /41 levels deep/],
  ];
  for (const [filter, scimType, detail] of invalid) {
    it(`refuses ${filter.slice(0, 40)} with ${scimType}`, () => {
      assert.throws(
        () => compileFilter(filter),
        (err: unknown) => err instanceof HarnessError && err.status === 400 && scimAnswerOf(err)?.body.scimType === scimType && detail.test(err.message),
      );
    });
  }
});
