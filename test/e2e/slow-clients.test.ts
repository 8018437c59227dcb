// Clients that send their request a byte at a time to hold a connection open: the listener's
// header and request timeouts (short here, through config) answer 408 and close the connection.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { RunningHarness } from '../../src/harness/server.js';
import { startTestServer } from '../support/harness.js';

/**
 * Sends `head`, then one byte of `drip` every 100 ms; resolves with what the server answered and
 * whether it closed the connection before the drip ran out.
 */
function trickle(server: RunningHarness, head: string, drip: string): Promise<{ answer: string; closedByServer: boolean }> {
  const { port } = server.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (answer += d));
    socket.on('error', reject);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, closedByServer: sent < drip.length });
    });
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (sent >= drip.length) {
          clearInterval(timer);
          socket.destroy();
          return;
        }
        socket.write(drip[sent++] as string);
      }, 100);
    });
  });
}

describe('slow clients', function () {
  this.timeout(20_000);
  let server: RunningHarness;

  before(async () => {
    server = await startTestServer({ http: { headersTimeoutMs: 300, requestTimeoutMs: 500 } });
  });
  after(async () => {
    await server.close();
  });

  it('closes with 408 a connection whose body trickles in past the request timeout', async () => {
    const head = 'POST /sp/acs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nSAMLResponse=';
    const { answer, closedByServer } = await trickle(server, head, 'x'.repeat(80));
    assert.equal(closedByServer, true, 'the connection was still open after 8 s of trickling');
    assert.match(answer, /^HTTP\/1\.1 408 /);
  });

  it('closes with 408 a connection whose headers trickle in past the headers timeout', async () => {
    const { answer, closedByServer } = await trickle(server, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: ' + 'y'.repeat(80));
    assert.equal(closedByServer, true, 'the connection was still open after 8 s of trickling');
    assert.match(answer, /^HTTP\/1\.1 408 /);
  });

  it('still serves a request sent at once', async () => {
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
  });
});
