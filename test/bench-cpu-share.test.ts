import { spawn } from 'node:child_process';
import { cpuTicks, processTreeTicks } from '../tools/bench/stack';

// PostgreSQL does its work in one backend process per connection, under the postmaster: the
// bench's database figure must count the children, alive and exited.
test("a process tree's CPU counts its children's work, while they run and after they exit", async () => {
  // Beyond this process's own CPU: children it had already reaped (earlier tests in this worker).
  const childrenTicks = () => processTreeTicks(process.pid) - cpuTicks(process.pid);
  const before = processTreeTicks(process.pid);
  const childrenBefore = childrenTicks();
  const spin = spawn(process.execPath, ['-e', 'const end = Date.now() + 600; while (Date.now() < end);']);
  await new Promise((r) => setTimeout(r, 400));
  const whileRunning = childrenTicks() - childrenBefore;
  await new Promise((r) => spin.once('exit', r));
  const after = processTreeTicks(process.pid) - before;
  expect(whileRunning).toBeGreaterThanOrEqual(10); // 0.1 s of the child's CPU at least
  expect(after).toBeGreaterThanOrEqual(40);
});
