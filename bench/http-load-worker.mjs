// The load generator of `http-login`, in its own thread: autocannon drives the browser's three
// requests per login over 8 connections while the harness under test keeps the main thread (and
// its core) to itself, as a separate load generator would. Plain JavaScript: worker threads do
// not inherit the TypeScript loader. Input and output are described in bench/http-login.ts.
import autocannon from 'autocannon';
import { parentPort, workerData } from 'node:worker_threads';

const { url, cookie, email, seconds, connections } = workerData;

const decode = (s) => s.replace(/&#(\d+);/g, (_m, d) => String.fromCharCode(Number(d))).replace(/&amp;/g, '&');
const field = (body, name) => {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(body);
  return m?.[1] === undefined ? undefined : decode(m[1]);
};

/** `name=value` of the SP's login cookie in a response (the login is bound to the browser that holds it). */
const loginCookie = (headers) => {
  const values = Object.entries(headers)
    .filter(([name]) => name.toLowerCase() === 'set-cookie')
    .flatMap(([, v]) => (Array.isArray(v) ? v : [v]));
  return values.map(String).find((c) => c.startsWith('sso_harness_sp_login'))?.split(';')[0];
};

const latencies = [];
let errors = 0;
const fail = (context) => {
  errors += 1;
  context.broken = true;
};

autocannon(
  {
    url,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        setupRequest: (req, context) => {
          context.startedAt = performance.now();
          context.broken = false;
          return { ...req, path: `/sp/login?email=${encodeURIComponent(email)}` };
        },
        onResponse: (status, _body, context, headers) => {
          // autocannon keeps the header names as the server wrote them.
          const location = Object.entries(headers).find(([name]) => name.toLowerCase() === 'location')?.[1];
          context.loginCookie = loginCookie(headers);
          if (status !== 302 || !location || !context.loginCookie) return fail(context);
          const to = new URL(location, url);
          context.sso = to.pathname + to.search;
        },
      },
      {
        method: 'GET',
        setupRequest: (req, context) => ({ ...req, path: String(context.sso ?? '/sp/login'), headers: { cookie } }),
        onResponse: (status, body, context) => {
          const samlResponse = field(body, 'SAMLResponse');
          if (status !== 200 || samlResponse === undefined) return fail(context);
          const relayState = field(body, 'RelayState');
          context.form = new URLSearchParams({ SAMLResponse: samlResponse, ...(relayState !== undefined && { RelayState: relayState }) }).toString();
        },
      },
      {
        method: 'POST',
        path: '/sp/acs',
        setupRequest: (req, context) => ({
          ...req,
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: String(context.loginCookie ?? '') },
          body: String(context.form ?? ''),
        }),
        onResponse: (status, _body, context) => {
          if (context.broken) return;
          if (status !== 303) return fail(context);
          latencies.push(performance.now() - Number(context.startedAt));
        },
      },
    ],
  },
  (err, result) => {
    if (err) parentPort.postMessage({ error: err.message ?? String(err) });
    else parentPort.postMessage({ latencies, errors: errors + result.errors + result.timeouts, duration: result.duration });
  },
);
