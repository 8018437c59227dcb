// The layer rules of .dependency-cruiser.cjs, run on a small tree made of the imports they forbid
// (and of the ones they allow), so a rule that stops matching fails here rather than letting the
// real tree drift. `npm run structure` checks the real tree with the same file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './support/run-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');

// Each forbidden import: the importing file, what it imports, the rule that must name it.
const forbidden: [from: string, imports: string, rule: string][] = [
  ['src/saml/parse.ts', '../http/app.js', 'protocol-below-domain'],
  ['src/saml/metadata-build.ts', '../sp/model.js', 'protocol-below-domain'],
  ['src/saml/dom.ts', '../store/types.js', 'protocol-below-domain'],
  ['src/decode/verify.ts', '../idp/sso.js', 'protocol-below-domain'],
  ['src/saml/urn.ts', '../decode/messages.js', 'saml-does-not-import-decode'],
  ['src/saml/logout-binding.ts', '../trace/trace-log.js', 'protocol-below-domain'],
  ['src/decode/messages.ts', '../client/browser/flow-pages.js', 'protocol-below-domain'],
  ['src/http/app.ts', '../harness/context.js', 'http-below-entry-and-composition'],
  ['src/http/debug-pages.ts', '../harness/app.js', 'http-below-entry-and-composition'],
  ['src/store/memory.ts', '../sp/sessions.js', 'storage-and-crypto-at-the-bottom'],
  ['src/store/open.ts', '../crypto/keys.js', 'storage-and-crypto-at-the-bottom'],
  // The registry of tables names no row type: each owner types its own handle.
  ['src/store/tables.ts', '../sp/model.js', 'storage-and-crypto-at-the-bottom'],
  ['src/store/tables.ts', '../idp/sso.js', 'storage-and-crypto-at-the-bottom'],
  ['src/crypto/passwords.ts', '../store/types.js', 'storage-and-crypto-at-the-bottom'],
  ['src/errors.ts', './saml/urn.js', 'kernel-imports-only-kernel'],
  ['src/trace/trace-log.ts', '../sp/login.js', 'trace-records-protocol-only'],
  ['src/idp/sso.ts', '../http/idp-routes.js', 'domain-below-http'],
  ['src/provisioning/engine.ts', '../client/admin/admin-clients.js', 'domain-below-http'],
  ['src/idp/directory.ts', '../sp/directory.js', 'idp-side-apart-from-sp-side'],
  ['src/provisioning/scim-client.ts', '../scim/filter.js', 'idp-side-apart-from-sp-side'],
  ['src/sp/login.ts', '../idp/model.js', 'sp-side-apart-from-idp-side'],
  ['src/scim/users.ts', '../provisioning/flavors.js', 'sp-side-apart-from-idp-side'],
  ['src/idp/identity-provider.ts', '../provisioning/engine.js', 'idp-reaches-provisioning-through-its-port'],
  ['src/sp/directory.ts', '../scim/resource.js', 'sp-does-not-import-scim'],
  ['src/scim/patch.ts', '../saml/urn.js', 'scim-and-saml-apart'],
  ['src/scim-protocol/urn.ts', '../scim/errors.js', 'scim-protocol-below-the-sides'],
  ['src/scim-protocol/urn.ts', '../provisioning/engine.js', 'scim-protocol-below-the-sides'],
  ['src/scim-protocol/urn.ts', '../saml/ids.js', 'scim-protocol-below-the-sides'],
  ['src/saml/parse.ts', '../scim-protocol/urn.js', 'protocol-below-domain'],
  ['src/http/app.ts', '../client/browser/headless-login.js', 'http-below-entry-and-composition'],
  ['src/http/idp-api.ts', '../harness/seed.js', 'http-below-entry-and-composition'],
  ['src/sp/accounts.ts', '../harness/config.js', 'domain-below-http'],
  ['src/harness/server.ts', '../client/admin/admin-clients.js', 'composition-below-entry'],
  ['src/client/admin/admin-clients.ts', '../browser/headless-login.js', 'admin-sdk-stands-alone'],
  ['src/client/admin/admin-clients.ts', '../audit/audit-sp.js', 'admin-sdk-stands-alone'],
  ['src/client/browser/flow-pages.ts', '../audit/errors.js', 'headless-browser-stands-alone'],
  ['src/client/browser/cookie-jar.ts', '../admin/admin-clients.js', 'headless-browser-stands-alone'],
  ['src/client/audit/audit-sp.ts', '../../cli/output.js', 'nothing-imports-the-command-line'],
  ['src/sp/sessions.ts', 'express', 'express-only-in-http'],
  ['src/saml/xml-builder.ts', 'express', 'express-only-in-http'],
  ['src/sp/directory.ts', 'pg', 'storage-drivers-only-in-store'],
  ['src/saml/signature.ts', '../../test/support/keys.js', 'source-does-not-import-tests'],
];

// Imports the layers allow.
const allowed: [from: string, imports: string][] = [
  ['src/http/sp-routes.ts', '../sp/login.js'],
  ['src/http/app.ts', '../harness/config.js'],
  ['src/harness/app.ts', '../http/app.js'],
  ['src/http/debug-pages.ts', 'express'],
  ['src/trace/logout-entry.ts', '../saml/urn.js'],
  ['src/decode/messages.ts', '../saml/post-form-page.js'],
  ['src/decode/messages.ts', '../saml/parse.js'],
  ['src/trace/trace-log.ts', '../saml/validate/types.js'],
  ['src/sp/login.ts', '../saml/validate/pipeline.js'],
  ['src/sp/login.ts', '../store/types.js'],
  ['src/scim/users.ts', '../sp/licences.js'],
  ['src/scim/patch.ts', '../scim-protocol/urn.js'],
  ['src/provisioning/scim-mapping.ts', '../scim-protocol/urn.js'],
  ['src/scim-protocol/urn.ts', '../clock.js'],
  ['src/provisioning/engine.ts', '../idp/identity-management.js'],
  ['src/store/postgres.ts', 'pg'],
  ['src/store/open.ts', '../errors.js'],
  ['src/cli/main.ts', '../harness/server.js'],
  ['src/client/audit/admin.ts', '../../harness/demo.js'],
  ['src/client/audit/login.ts', '../browser/flow-pages.js'],
  ['src/client/audit/admin.ts', '../admin/admin-clients.js'],
  ['src/index.ts', './harness/app.js'],
];

// A loop of two files, one link of it type-only.
const loop: [from: string, imports: string][] = [
  ['src/sp/sessions.ts', './cycle-back.js'],
  ['src/sp/cycle-back.ts', './sessions.js'],
];

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

describe('the layer rules (.dependency-cruiser.cjs)', function () {
  let dir: string;
  let violations: Violation[];

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), 'sso-harness-structure-'));
    const importsOf = new Map<string, string[]>();
    for (const [from, imports] of [...forbidden, ...allowed, ...loop]) importsOf.set(from, [...(importsOf.get(from) ?? []), imports]);
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    for (const [from, imports] of importsOf) {
      // Type-only imports count as dependencies: half of the imports are written that way.
      write(from, imports.map((target, i) => (i % 2 ? `import type {} from '${target}';\n` : `import '${target}';\n`)).join(''));
    }
    for (const imports of [...importsOf.entries()].flatMap(([from, targets]) => targets.map((t) => join(dirname(from), t)))) {
      if (!imports.endsWith('.js')) continue;
      const path = imports.replace(/[.]js$/, '.ts');
      if (!importsOf.has(path)) write(path, 'export {};\n');
    }
    for (const name of ['express', 'pg']) {
      write(`node_modules/${name}/package.json`, JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
      write(`node_modules/${name}/index.js`, 'module.exports = {};\n');
    }
    write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowJs: true } }));
    const result = await run(process.execPath, [depcruise, 'src', '--config', config, '--output-type', 'json'], dir);
    assert.ok(result.stdout.startsWith('{'), `dependency-cruiser did not run: ${result.stderr}`);
    violations = (JSON.parse(result.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  const target = (from: string, imports: string) =>
    imports.startsWith('.') ? join(dirname(from), imports).replace(/[.]js$/, '.ts') : `node_modules/${imports}/index.js`;

  for (const [from, imports, rule] of forbidden) {
    it(`rejects ${from} importing ${imports} (${rule})`, function () {
      const found = violations.filter((v) => v.from === from && v.to === target(from, imports)).map((v) => v.rule.name);
      assert.deepEqual(found, [rule]);
    });
  }

  for (const [from, imports] of allowed) {
    it(`allows ${from} importing ${imports}`, function () {
      const found = violations.filter((v) => v.from === from && v.to === target(from, imports)).map((v) => v.rule.name);
      assert.deepEqual(found, []);
    });
  }

  it('rejects an import loop, through a type-only link too', function () {
    // One link of a loop is reported, whichever the cruise reaches first.
    const links = loop.map(([from, imports]) => `${from} -> ${target(from, imports)}`);
    const found = violations.filter((v) => v.rule.name === 'no-cycles').map((v) => `${v.from} -> ${v.to}`);
    assert.equal(found.length, 1, `expected one loop reported, got ${JSON.stringify(found)}`);
    assert.ok(links.includes(found[0]!), `${found[0]} is not a link of the loop`);
  });

  it('reports nothing but the imports written to be rejected', function () {
    const expected = new Set([...forbidden, ...loop].map(([from, imports]) => `${from} -> ${target(from, imports)}`));
    const unexpected = violations.map((v) => `${v.from} -> ${v.to} (${v.rule.name})`).filter((v) => !expected.has(v.replace(/ [(].*$/, '')));
    assert.deepEqual(unexpected, []);
  });
});
