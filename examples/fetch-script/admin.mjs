// A plain fetch script against a running `sso-harness start`: lists the IdP users and queues a
// broken response for the next login. No dependencies.
//   SSO_HARNESS_URL=http://localhost:8400 SSO_HARNESS_ADMIN_TOKEN=… node examples/fetch-script/admin.mjs [scenario]
const base = (process.env.SSO_HARNESS_URL ?? 'http://localhost:8400').replace(/\/+$/, '');
const token = process.env.SSO_HARNESS_ADMIN_TOKEN;
if (!token) {
  console.error('set SSO_HARNESS_ADMIN_TOKEN to the token `sso-harness start` printed');
  process.exit(2);
}
const scenario = process.argv[2] ?? 'wrong-audience';

async function api(method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body && { 'content-type': 'application/json' }) },
    ...(body && { body: JSON.stringify(body) }),
  });
  const json = res.status === 204 ? undefined : await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${json?.error ?? ''} ${json?.message ?? ''}`);
  return json;
}

const users = await api('GET', '/idp/api/users');
console.log(`${users.length} IdP users:`);
for (const u of users) console.log(`  ${u.email.padEnd(24)} ${u.firstName} ${u.lastName}${u.suspended ? ' (suspended)' : ''}`);

const scenarios = await api('GET', '/idp/api/scenarios');
const picked = scenarios.find((s) => s.id === scenario);
if (!picked) {
  console.error(`no scenario ${scenario}; one of: ${scenarios.map((s) => s.id).join(', ')}`);
  process.exit(2);
}
const queued = await api('PUT', '/idp/api/next-response', { scenario });
console.log(`next response: ${queued.scenario} (${picked.title}); a strict SP must ${picked.expect.verdict}${picked.expect.code ? ` with ${picked.expect.code}` : ''}`);
