/**
 * The Temporal UI server on its own, beside a headless dev server: `npm start` runs it instead of
 * the dev server's embedded UI because only the UI server's configuration can tell the UI to send
 * cookies to the codec server (`codec.includeCredentials`), which is how a manager signed in to
 * the web app reads decoded transfers with nothing to set up (docs/encryption.md).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { stopChild, type ExitInfo } from './dev-server';

export interface UiServerOptions {
  binary: string;
  /** The Temporal frontend the UI reads, e.g. 127.0.0.1:7233. */
  temporalAddress: string;
  ip: string;
  port: number;
  namespace: string;
  codecEndpoint: string;
  /** Holds the generated configuration and the server's log. */
  dir: string;
}

export interface UiServer {
  url: string;
  exited: Promise<ExitInfo>;
  stop(graceMs?: number): Promise<ExitInfo>;
}

/** The UI server's YAML (its keys: ui-server's server/config/config.go). */
export function uiServerConfig(o: Omit<UiServerOptions, 'binary' | 'dir'>): Record<string, unknown> {
  return {
    temporalGrpcAddress: o.temporalAddress,
    host: o.ip,
    port: o.port,
    enableUi: true,
    defaultNamespace: o.namespace,
    disableNewsFetch: true,
    // Plain http on this machine: the UI's own CSRF cookie must not require https.
    cors: { cookieInsecure: true },
    codec: { endpoint: o.codecEndpoint, includeCredentials: true },
  };
}

export async function startUiServer(o: UiServerOptions): Promise<UiServer> {
  mkdirSync(o.dir, { recursive: true });
  const pidFile = uiPidFile(o.dir);
  writeFileSync(path.join(o.dir, 'referrals.yaml'), stringify(uiServerConfig(o)));
  const logFile = path.join(o.dir, 'ui-server.log');
  const log = openSync(logFile, 'a');
  const child = spawn(o.binary, ['--root', o.dir, '--config', '.', '--env', 'referrals', 'start'], {
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  if (child.pid) writeFileSync(pidFile, `${child.pid}\n`);
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('error', () => resolve({ code: null, signal: null }));
    child.once('exit', (code, signal) => {
      rmSync(pidFile, { force: true });
      resolve({ code, signal });
    });
  });
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));
  const stop = (graceMs = 5_000): Promise<ExitInfo> => stopChild(child, exited, graceMs);
  const host = o.ip === '127.0.0.1' || o.ip === '0.0.0.0' ? 'localhost' : o.ip;
  const url = `http://${host}:${o.port}`;
  try {
    await answers(`http://${o.ip === '0.0.0.0' ? '127.0.0.1' : o.ip}:${o.port}/`, exited, logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, exited, stop };
}

const uiPidFile = (dir: string): string => path.join(dir, 'ui-server.pid');

/**
 * A UI server left running by an npm start that was killed hard holds the port: it keeps no data,
 * so it is stopped rather than reported (/proc guards against a recycled pid).
 */
export async function stopLeftoverUiServer(dir: string): Promise<void> {
  const pidFile = uiPidFile(dir);
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const cmdline = `/proc/${pid}/cmdline`;
  if (Number.isInteger(pid) && pid > 0 && existsSync(cmdline) && readFileSync(cmdline, 'utf8').includes('referrals')) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    // Until the kernel has let go of it, its port is still taken.
    for (let i = 0; i < 50 && existsSync(cmdline); i++) await new Promise((r) => setTimeout(r, 100));
  }
  rmSync(pidFile, { force: true });
}

async function answers(url: string, exited: Promise<ExitInfo>, logFile: string): Promise<void> {
  let ended = false;
  void exited.then(() => (ended = true));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (ended) throw new Error(`The Temporal UI server exited during startup; see ${logFile}`);
    try {
      if ((await fetch(url, { headers: { connection: 'close' } })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`The Temporal UI server at ${url} did not answer in 30 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
