/** The portal as a child process for the benchmarks, and what /proc tells about it. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type Server = { child: ChildProcess; base: string; startMs: number };

/** The compiled portal as `npm start` runs it, unless BENCH_SERVER=src (src/ through tsx). */
export const compiled = () => process.env.BENCH_SERVER !== 'src';

/** Compiles src/ to dist/ as `npm start` does, so the figures are those of the code as it is. */
export function buildPortal() {
  if (!compiled()) return;
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('la compilation du portail a échoué');
}

/** Starts the portal with the given environment; resolves once /readyz answers. */
export function startServer(port: number, env: Record<string, string | undefined>): Promise<Server> {
  const args = compiled() ? ['dist/server.js'] : ['--import', 'tsx', 'src/server.ts'];
  return startProcess(process.execPath, args, port, env);
}

/** The portal as the README starts it: npm, the build's check that nothing changed, then the portal. */
export function startWithNpm(port: number, env: Record<string, string | undefined>): Promise<Server> {
  return startProcess('npm', ['start'], port, env);
}

/**
 * The machine's floor for a start: Node importing Fastify and answering /readyz, nothing else.
 * A portal's start is read as a multiple of it.
 */
export function startBareFastify(port: number): Promise<Server> {
  const script = `import Fastify from 'fastify';
const app = Fastify();
app.get('/readyz', async () => 'ok');
await app.listen({ port: ${port}, host: '127.0.0.1' });`;
  return startProcess(process.execPath, ['--input-type=module', '-e', script], port, {});
}

async function startProcess(command: string, args: string[], port: number, env: Record<string, string | undefined>) {
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn(command, args, {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
    // Its own process group: npm's child, the portal, stops with it.
    detached: true,
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`le portail s’est arrêté au démarrage (code ${code})`))),
  );
  exited.catch(() => {});
  for (;;) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { child, base, startMs: performance.now() - t0 };
    } catch {}
    await Promise.race([new Promise((r) => setTimeout(r, 25)), exited]);
  }
}

export async function stopServer(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || !child.pid) return;
  const done = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid, 'SIGTERM');
  await done;
}

/** Peak resident memory (VmHWM) of a process, in MB. */
export function peakMemoryMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** CPU time (user + system) a process has used so far, in seconds. */
export function cpuSeconds(pid: number): number {
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ, 100 on Linux for x86 and arm
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
