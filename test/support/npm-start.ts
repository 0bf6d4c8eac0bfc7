/**
 * Runs `npx tsx scripts/start.ts` as a person would (or another command a person or a county
 * runs: `npm run web`, an identity provider), in its own process group, and watches its output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class NpmStart {
  output = '';
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;

  constructor(
    env: Record<string, string>,
    private readonly command: string[] = ['npx', 'tsx', 'scripts/start.ts'],
  ) {
    this.child = spawn(command[0]!, command.slice(1), {
      cwd: ROOT,
      env: { ...inheritedEnv(), ...env },
      // Own group, so interrupt() can signal npx, tsx and node together, as a terminal's Ctrl-C does.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when the output matches; rejects with the output so far on exit or timeout. */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (!this.running)
        throw new Error(`${this.command.join(' ')} exited before printing ${pattern}:\n${this.output}`);
      if (Date.now() > deadline)
        throw new Error(`${this.command.join(' ')} did not print ${pattern} within ${timeoutMs} ms:\n${this.output}`);
      await sleep(200);
    }
  }

  /** The pid of start.ts itself (below npx, sh and tsx), from its first log line. */
  get appPid(): number {
    for (const line of this.output.split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { name?: string; pid?: number };
      if (entry.name === 'start' && entry.pid) return entry.pid;
    }
    throw new Error(`no log line from start.ts yet:\n${this.output}`);
  }

  /** The exit code start.ts reported for itself in its last log line. */
  get reportedExitCode(): number | undefined {
    const match = /"exitCode":(\d+)[^\n]*"msg":"npm start finished"/.exec(this.output);
    return match ? Number(match[1]) : undefined;
  }

  /** Ctrl-C in a terminal: SIGINT to the whole foreground process group. */
  interrupt(): void {
    this.signalGroup('SIGINT');
  }

  kill(): void {
    if (this.running) this.signalGroup('SIGKILL');
  }

  /** The exit, or a rejection naming the bound and showing the output. */
  async exitWithin(ms: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
    });
    try {
      const result = await Promise.race([this.exited, timeout]);
      if (result === 'timeout') throw new Error(`npm start did not exit within ${ms} ms:\n${this.output}`);
      return result;
    } finally {
      clearTimeout(timer);
    }
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.child.pid!, signal);
    } catch {
      // already gone
    }
  }
}

/** The parent's environment without Temporal, app or channel settings, so the host's own cannot leak in. */
function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    // TEMPORAL_CLI_PATH only says where the binary is; keep it.
    if (
      !/^(TEMPORAL_|REFERRALS_|APP_DATABASE_URL$|TWILIO_|SMTP_|PUBLIC_BASE_URL$)/.test(key) ||
      key === 'TEMPORAL_CLI_PATH'
    )
      env[key] = value;
  }
  return env;
}

import { freePorts } from '../../scripts/free-port';
export { freePort, freePorts } from '../../scripts/free-port';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The five ports `npm start` opens, and its data folder, as its environment names them. */
export interface StackPlace {
  port: number;
  uiPort: number;
  codecPort: number;
  webPort: number;
  appDbPort: number;
  dataDir: string;
}

/** Five free ports and a fresh data folder for one `npm start`. */
export async function freshStackPlace(prefix: string): Promise<StackPlace> {
  const [port, uiPort, codecPort, webPort, appDbPort] = (await freePorts(5)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { port, uiPort, codecPort, webPort, appDbPort, dataDir: mkdtempSync(path.join(os.tmpdir(), prefix)) };
}

export function stackEnv(p: StackPlace): Record<string, string> {
  return {
    TEMPORAL_DEV_PORT: String(p.port),
    TEMPORAL_DEV_UI_PORT: String(p.uiPort),
    REFERRALS_CODEC_SERVER_PORT: String(p.codecPort),
    REFERRALS_WEB_PORT: String(p.webPort),
    REFERRALS_APP_DB_PORT: String(p.appDbPort),
    REFERRALS_DATA_DIR: p.dataDir,
  };
}
