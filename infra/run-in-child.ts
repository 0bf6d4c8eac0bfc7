/**
 * Runs one of this project's TypeScript files in a short-lived child process and waits for it.
 * For work whose memory a long-running process would keep for good (webpack, PGlite's initdb).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export async function runInChild(file: string, args: string[], what: string, timeoutMs = 180_000): Promise<void> {
  await promisify(execFile)(process.execPath, ['--require', require.resolve('tsx/cjs'), file, ...args], {
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((err: Error & { stderr?: string }) => {
    throw new Error(`${what} failed: ${err.stderr?.trim() || err.message}`);
  });
}

/** For the files run this way: runs `main` when the file is the process's entry point. */
export function runIfMain(mod: NodeModule, main: () => Promise<void>): void {
  if (require.main !== mod) return;
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
