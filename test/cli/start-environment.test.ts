// `sso-harness start` configured by environment variables, as the container image runs it: a
// public URL that differs from the port it listens on (nothing answers at that URL from where the
// harness runs), flags over the config file over variables, and one line naming a bad variable.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type StartResult } from '../../src/cli/start-command.js';
import { headlessLogin } from '../../src/client/browser/headless-login.js';
import { resolveConfig } from '../../src/harness/config.js';
import { fixturePem } from '../support/keys.js';
import { freePort } from '../support/net.js';

const ADMIN_TOKEN = 'start-environment-token-0123456789';
const overrides = { keys: { idp: fixturePem('idp'), sp: fixturePem('sp') }, passwordHashCost: { N: 1024, r: 8, p: 1 }, log: () => undefined };

/** A fetch that sends requests for `publicUrl` to the port the harness listens on, as a published container port does. */
const publishedAt = (publicUrl: string, port: number): typeof fetch => (input, init) => {
  const url = new URL(String(input instanceof Request ? input.url : input));
  if (url.origin === publicUrl) {
    url.hostname = '127.0.0.1';
    url.port = String(port);
  }
  return fetch(url, init);
};

interface Started extends StartResult {
  out: string;
  err: string;
}

async function start(argv: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  let out = '';
  let err = '';
  const result = await startServer({ argv, env, out: (t) => (out += t), err: (t) => (err += t), overrides });
  return { ...result, out, err };
}

const portOf = (started: StartResult): number => (started.running!.server.address() as AddressInfo).port;

describe('sso-harness start configured by environment variables', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sso-harness-start-env-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('starts behind a public URL that nothing answers at, seeds the demo, names that URL in its metadata and reaches itself there', async () => {
    // What `docker run -p 18530:8400 -e SSO_HARNESS_BASE_URL=http://localhost:18530` gives the
    // process inside: from there, nothing listens at the public URL.
    const publicUrl = `http://localhost:${await freePort()}`;
    const started = await start([], {
      PORT: '0',
      SSO_HARNESS_HOST: '127.0.0.1',
      SSO_HARNESS_BASE_URL: publicUrl,
      SSO_HARNESS_DATA: dir,
      SSO_HARNESS_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    assert.equal(started.exitCode, 0, started.err);
    const { running } = started;
    assert.ok(running);
    try {
      const local = `http://127.0.0.1:${portOf(started)}`;
      assert.notEqual(local, publicUrl);
      assert.match(started.out, new RegExp(`running at ${publicUrl}\\n`));
      assert.equal((await fetch(`${local}/healthz`)).status, 200);

      const idpMetadata = await (await fetch(`${local}/idp/apps/ringcentral/metadata`)).text();
      assert.match(idpMetadata, new RegExp(`entityID="${publicUrl}/idp/apps/ringcentral"`));
      assert.match(idpMetadata, new RegExp(`Location="${publicUrl}/idp/apps/ringcentral/sso"`));
      const spMetadata = await (await fetch(`${local}/sp/metadata`)).text();
      assert.match(spMetadata, new RegExp(`Location="${publicUrl}/sp/acs"`));

      // The demo is seeded, and the token came from SSO_HARNESS_ADMIN_TOKEN.
      const users = await fetch(`${local}/idp/api/users`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, accept: 'application/json' } });
      assert.equal(users.status, 200);
      assert.deepEqual(((await users.json()) as { email: string }[]).map((u) => u.email).sort(), ['ann@acme.test', 'bob@acme.test', 'carol@acme.test']);
      const account = await running.app.harness.sp.accounts.get('acme');
      assert.deepEqual(account?.sso.idp?.source, { kind: 'url', url: `${publicUrl}/idp/apps/ringcentral/metadata` });
      // SSO_HARNESS_DATA holds the default SQLite store.
      assert.ok(existsSync(join(dir, 'harness.db')));

      // Once it serves, its own calls to the public URL still reach it: the SP imports the IdP
      // metadata again by that URL.
      const reimport = await fetch(`${local}/sp/api/accounts/acme/sso/idp-metadata`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${publicUrl}/idp/apps/ringcentral/metadata` }),
      });
      assert.equal(reimport.status, 200, await reimport.clone().text());
      assert.equal(((await reimport.json()) as { parsed: { entityId: string } }).parsed.entityId, `${publicUrl}/idp/apps/ringcentral`);

      // And a browser that reaches the public URL signs in end to end.
      const login = await headlessLogin({ spBaseUrl: publicUrl, email: 'ann@acme.test', password: 'ann-password-1', fetch: publishedAt(publicUrl, portOf(started)) });
      assert.equal(login.ok, true, JSON.stringify(login.error ?? login.hops));
      assert.equal(login.session?.email, 'ann@acme.test');
    } finally {
      await running.close();
    }
  });

  it('takes a flag over its variable, without reading the variable', async () => {
    const flagUrl = `http://localhost:${await freePort()}`;
    const other = join(dir, 'other');
    const started = await start(['--port', '0', '--host', '127.0.0.1', '--base-url', flagUrl, '--data', dir, '--blank'], {
      PORT: 'not-a-port',
      SSO_HARNESS_HOST: 'not a host',
      SSO_HARNESS_BASE_URL: 'ftp://elsewhere.example.test',
      SSO_HARNESS_DATA: other,
    });
    assert.equal(started.exitCode, 0, started.err);
    try {
      assert.equal(started.running?.url, flagUrl);
      assert.ok(existsSync(join(dir, 'harness.db')));
      assert.ok(!existsSync(other));
    } finally {
      await started.running?.close();
    }
  });

  it('reads the config file named by SSO_HARNESS_CONFIG, whose fields win over the variables', async () => {
    const fileUrl = `http://localhost:${await freePort()}`;
    const path = join(dir, 'harness.json');
    await writeFile(path, JSON.stringify({
      port: 0,
      baseUrl: fileUrl,
      adminToken: ADMIN_TOKEN,
      users: [{ email: 'gus@initech.test', firstName: 'Gus', lastName: 'Ops', password: 'gus-password-1', number: '+15125550100' }],
    }));
    const started = await start([], {
      SSO_HARNESS_CONFIG: path,
      PORT: '1',
      SSO_HARNESS_HOST: '127.0.0.1',
      SSO_HARNESS_BASE_URL: 'http://variable.example.test',
      SSO_HARNESS_ADMIN_TOKEN: 'variable-token-0123456789',
      SSO_HARNESS_DATA: dir,
      SSO_HARNESS_STORE: 'memory',
    });
    assert.equal(started.exitCode, 0, started.err);
    try {
      assert.equal(started.running?.url, fileUrl);
      assert.notEqual(portOf(started), 1);
      assert.equal(started.running?.config.adminToken, ADMIN_TOKEN);
      assert.match(started.out, new RegExp(`Seeded from ${path}: 1 IdP users`));
      assert.match(started.out, /State: in memory/);
    } finally {
      await started.running?.close();
    }
  });

  it('counts a variable set to the empty string as unset', async () => {
    const started = await start(['--port', '0', '--blank'], {
      PORT: '',
      SSO_HARNESS_HOST: '',
      SSO_HARNESS_BASE_URL: '',
      SSO_HARNESS_ADMIN_TOKEN: '',
      SSO_HARNESS_STORE: '',
      SSO_HARNESS_CONFIG: '',
      SSO_HARNESS_DATA: dir,
    });
    assert.equal(started.exitCode, 0, started.err);
    try {
      assert.equal(started.running?.url, `http://127.0.0.1:${portOf(started)}`);
      assert.equal(started.running?.adminTokenGenerated, true);
      assert.ok(existsSync(join(dir, 'harness.db')), 'the default store, sqlite');
    } finally {
      await started.running?.close();
    }
    assert.equal(resolveConfig({}, { SSO_HARNESS_ADMIN_TOKEN: '' }).adminTokenGenerated, true);
  });

  const refusals: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['a port that is not a number', { PORT: 'eighty' }, /^sso-harness: CONFIG_INVALID: PORT must be a port number \(0-65535\), not eighty$/],
    ['a port past 65535', { PORT: '70000' }, /^sso-harness: CONFIG_INVALID: PORT must be a port number \(0-65535\), not 70000$/],
    ['a host that is neither an address nor a name', { SSO_HARNESS_HOST: 'every interface' }, /^sso-harness: CONFIG_INVALID: SSO_HARNESS_HOST must be an interface address or host name .*, not every interface$/],
    ['a public URL without a scheme', { SSO_HARNESS_BASE_URL: 'localhost:18530' }, /^sso-harness: CONFIG_INVALID: SSO_HARNESS_BASE_URL must be the public http\(s\) URL .*, not localhost:18530$/],
    ['a public URL with a query', { SSO_HARNESS_BASE_URL: 'https://sso.example.test/?x=1' }, /^sso-harness: CONFIG_INVALID: SSO_HARNESS_BASE_URL must be the public http\(s\) URL .*without query or fragment/],
    ['a short admin token', { SSO_HARNESS_ADMIN_TOKEN: 'short' }, /^sso-harness: CONFIG_INVALID: SSO_HARNESS_ADMIN_TOKEN must be at least 16 characters/],
    ['a store it does not know', { SSO_HARNESS_STORE: 'mysql://db.example.test/harness' }, /^sso-harness: CONFIG_INVALID: SSO_HARNESS_STORE: mysql:\/\/db\.example\.test\/harness is not a store sso-harness knows/],
    ['a config file that is not there', { SSO_HARNESS_CONFIG: '/nonexistent/harness.yaml' }, /^sso-harness: CONFIG_INVALID: no such file \/nonexistent\/harness\.yaml \(from SSO_HARNESS_CONFIG\)$/],
  ];
  for (const [what, env, message] of refusals) {
    it(`refuses ${what} with one line naming the variable, before listening`, async () => {
      const started = await start([], { PORT: '0', SSO_HARNESS_DATA: dir, ...env });
      assert.equal(started.exitCode, 2);
      assert.equal(started.running, undefined);
      assert.equal(started.out, '');
      const lines = started.err.trimEnd().split('\n');
      assert.equal(lines.length, 1, started.err);
      assert.match(lines[0] ?? '', message);
    });
  }
});
