/**
 * Ports for dev servers come from below the kernel's ephemeral range, where the dev server's own
 * internal services cannot take them while it starts.
 */
import net from 'node:net';
import { ephemeralRangeStart, freePort, freePorts } from '../scripts/free-port';

test('free ports lie below the ephemeral range, are distinct, and can be listened on', async () => {
  const ports = await freePorts(20);
  expect(new Set(ports).size).toBe(20);
  for (const port of ports) expect(port).toBeLessThan(ephemeralRangeStart());
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(ports[0], '127.0.0.1', resolve));
  server.close();
});

test('a port something listens on is not handed out', async () => {
  const busy = net.createServer();
  const port = await freePort({ range: [20_000, 30_000] });
  await new Promise<void>((resolve) => busy.listen(port, '127.0.0.1', resolve));
  try {
    // Two candidates, one taken: every answer is the other one.
    for (let i = 0; i < 10; i++) expect(await freePort({ range: [port, port + 2] })).toBe(port + 1);
    await expect(freePort({ range: [port, port + 1] })).rejects.toThrow(
      `No free port found between ${port} and ${port + 1}`,
    );
  } finally {
    busy.close();
  }
});
