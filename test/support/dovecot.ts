/**
 * A private Dovecot IMAP server for tests: its own configuration in a temporary folder, an
 * unprivileged port on the loopback, plaintext login, one mailbox user. Needs Debian's
 * `dovecot-imapd` (`/usr/sbin/dovecot`); tests skip when it is absent.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const DOVECOT = '/usr/sbin/dovecot';
export const dovecotMissing = existsSync(DOVECOT)
  ? false
  : `${DOVECOT} est absent : installez dovecot-imapd (apt-get install -y dovecot-imapd) pour tester la lecture IMAP`;

export type Dovecot = { url: string; port: number; user: string; pass: string; stop(): Promise<void> };

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Root runs the mail processes as `nobody`; anyone else runs everything as themselves. */
function identities(home: string) {
  if (process.getuid?.() === 0) {
    chmodSync(join(home, '..'), 0o755);
    chownSync(home, 65534, 65534);
    return { internal: 'dovecot', login: 'dovenull', uid: 'nobody', gid: 'nogroup' };
  }
  const me = userInfo();
  return { internal: me.username, login: me.username, uid: String(me.uid), gid: String(me.gid) };
}

export async function startDovecot(): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-dovecot-'));
  const home = join(dir, 'home');
  for (const path of [join(dir, 'run'), join(dir, 'state'), home]) mkdirSync(path, { recursive: true });
  const who = identities(home);
  const port = await freePort();
  const user = 'guichet';
  const pass = 'imap-de-test';
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${pass}\n`);
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${who.internal}
default_login_user = ${who.login}
first_valid_uid = 1
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${who.uid} gid=${who.gid} home=${home}/%u
}
mail_location = maildir:~/Maildir
`,
  );
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (let i = 0; i < 100 && !exited && !(await listening(port)); i++) await sleep(100);
  if (exited || !(await listening(port))) {
    const log = existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : '';
    child.kill();
    throw new Error(`Dovecot did not start:\n${log}`);
  }
  return {
    url: `imap://${user}:${pass}@127.0.0.1:${port}/INBOX`,
    port,
    user,
    pass,
    async stop() {
      if (!exited) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
