/**
 * A real SMTP server in the test process: keeps what it receives (raw and parsed);
 * `reject` addresses get a permanent 550.
 */
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type Received = { from: string; to: string[]; raw: string };

/** An SMTP server that keeps what it receives; `reject` addresses get a permanent 550. */
export class MailSink {
  readonly messages: Received[] = [];
  readonly reject = new Set<string>();
  delayMs = 0;
  /** Runs after a message is received and before the server answers that it is accepted. */
  beforeAccepting: (() => Promise<void>) | null = null;
  private server: SMTPServer | null = null;

  async start(port = 0): Promise<number> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      disableReverseLookup: true,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.reject.has(address.address)) {
          const error = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
          return callback(error);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          const accept = () => setTimeout(callback, this.delayMs);
          if (this.beforeAccepting) void this.beforeAccepting().then(accept, accept);
          else accept();
        });
      },
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return (server.server.address() as { port: number }).port;
  }

  async stop() {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The parsed messages received for `address`. */
export async function mailsTo(sink: MailSink, address: string): Promise<ParsedMail[]> {
  const mine = sink.messages.filter((m) => m.to.includes(address));
  return Promise.all(mine.map((m) => simpleParser(m.raw)));
}

/** The first portal link of a message's text. */
export function linkIn(mail: ParsedMail, path: string): string {
  const match = new RegExp(`https?://[^\\s]+${path}[^\\s]*`).exec(mail.text ?? '');
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return match[0];
}
