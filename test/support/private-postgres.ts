/**
 * A PostgreSQL 15 server of the test's own, in a temporary folder, for the tests that stop or
 * restart the database (never the shared server). As root, the server runs as `postgres`.
 */
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class PrivatePostgres {
  private readonly dir = mkdtempSync(join(tmpdir(), 'guichet-pg-'));
  private readonly data = join(this.dir, 'data');
  port = 0;

  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** The same command as the operator's, as `postgres` when the tests run as root. */
  private async command(tool: string, args: string[]) {
    const asRoot = process.getuid?.() === 0;
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(BIN, tool), ...args]] : [join(BIN, tool), args];
    return run(file, argv, { timeout: 60_000 });
  }

  /** Creates the cluster on first start; later starts reopen it on the same port. */
  async start() {
    if (!this.port) {
      if (process.getuid?.() === 0) chownSync(this.dir, ...(await postgresIds()));
      await this.command('initdb', [
        '-D',
        this.data,
        '-U',
        'postgres',
        '--auth=trust',
        '--no-sync',
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
      ]);
      this.port = await freePort();
    }
    await this.pgCtl('start');
  }

  private pgCtl(verb: 'start' | 'restart' | 'stop', mode = 'fast') {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    return this.command('pg_ctl', ['-D', this.data, '-l', join(this.dir, 'log'), '-m', mode, '-w', '-o', options, verb]);
  }

  /** What `pg_ctlcluster … restart` does: fast shutdown (open sessions are terminated), then start. */
  restart() {
    return this.pgCtl('restart');
  }

  stop(mode: 'fast' | 'immediate' = 'fast') {
    return this.pgCtl('stop', mode);
  }

  async destroy() {
    await this.stop('immediate').catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function postgresIds(): Promise<[number, number]> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return [Number(uid), Number(gid)];
}
