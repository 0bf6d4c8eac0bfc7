/**
 * A free TCP port for a dev server, a test or the bench to listen on.
 *
 * Asking the kernel for port 0 hands out a port from its ephemeral range, and `temporal server
 * start-dev` takes five internal ports from that same range while it starts. A UI port chosen that
 * way was sometimes taken by the server's own history or matching service before the UI bound it
 * ("bind: address already in use"). So ports come from below the ephemeral range, probed at random.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';

const LOWEST = 10_000;

/** Start of the kernel's ephemeral range; 32768 (Linux's default start) where it cannot be read. */
export function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && low > LOWEST + 1000) return low;
  } catch {
    // Not Linux, or /proc is hidden: keep the default.
  }
  return 32_768;
}

function listensFreely(port: number, ip: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, ip, () => probe.close(() => resolve(true)));
  });
}

export interface PortChoice {
  ip?: string;
  /** Ports already chosen for the same server. */
  avoid?: readonly number[];
  /** [lowest, highest) to choose from; by default from 10000 up to the ephemeral range. */
  range?: readonly [number, number];
}

/** A port nothing listens on now, outside the ephemeral range, and not one of `avoid`. */
export async function freePort({ ip = '127.0.0.1', avoid = [], range }: PortChoice = {}): Promise<number> {
  const [low, high] = range ?? [LOWEST, ephemeralRangeStart()];
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (!avoid.includes(port) && (await listensFreely(port, ip))) return port;
  }
  throw new Error(`No free port found between ${low} and ${high} on ${ip}`);
}

/** `count` distinct free ports. */
export async function freePorts(count: number, ip = '127.0.0.1'): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await freePort({ ip, avoid: ports }));
  return ports;
}
