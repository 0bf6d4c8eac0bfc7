/**
 * A real FHIR R4 server for the tests (tools/fhir-server): HAPI FHIR's server libraries from Maven
 * Central with in-memory storage, and HAPI's HL7 validator beside it. Built with Maven on first use
 * (Java 17 and mvn, as .ci/run checks), then started on a free port like the app database is.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './npm-start';

const PROJECT = path.resolve(__dirname, '../../tools/fhir-server');
const CLASSES = path.join(PROJECT, 'target', 'classes', 'referrals', 'fhir', 'TestFhirServer.class');

export interface FhirServer {
  /** The FHIR base, ending in /fhir. */
  base: string;
  put(resource: { resourceType: string; id: string }): Promise<void>;
  search(query: string): Promise<Record<string, any>[]>;
  /** The validator's errors for a resource (warnings and information left out). */
  errors(resource: unknown): Promise<string[]>;
  close(): Promise<void>;
}

/** Built when the classes are missing or older than the pom or any source file. */
function build(): void {
  const newest = (dir: string): number =>
    Math.max(
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs,
      ),
    );
  const sources = Math.max(newest(path.join(PROJECT, 'src')), statSync(path.join(PROJECT, 'pom.xml')).mtimeMs);
  if (existsSync(CLASSES) && statSync(CLASSES).mtimeMs >= sources) return;
  execFileSync(
    'mvn',
    ['-B', '-q', 'package', 'dependency:copy-dependencies', '-DoutputDirectory=target/lib', '-DincludeScope=runtime'],
    { cwd: PROJECT, stdio: 'inherit' },
  );
}

export async function startFhirServer(): Promise<FhirServer> {
  build();
  const port = await freePort();
  const child: ChildProcess = spawn(
    'java',
    ['-Xmx512m', '-cp', `target/classes${path.delimiter}target/lib/*`, 'referrals.fhir.TestFhirServer', String(port)],
    { cwd: PROJECT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 120_000;
  while (!/^listening \d+/m.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the FHIR server did not start:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const root = `http://127.0.0.1:${port}`;
  const base = `${root}/fhir`;
  return {
    base,
    async put(resource) {
      const response = await fetch(`${base}/${resource.resourceType}/${resource.id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify(resource),
      });
      if (!response.ok) throw new Error(`PUT ${resource.resourceType}: ${response.status} ${await response.text()}`);
    },
    async search(query) {
      const bundle = (await (await fetch(`${base}/${query}`)).json()) as { entry?: { resource: any }[] };
      return (bundle.entry ?? []).map((e) => e.resource);
    },
    async errors(resource) {
      const response = await fetch(`${root}/validate`, { method: 'POST', body: JSON.stringify(resource) });
      const outcome = (await response.json()) as { issue: { severity: string; diagnostics: string }[] };
      return outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => i.diagnostics);
    },
    async close() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}
