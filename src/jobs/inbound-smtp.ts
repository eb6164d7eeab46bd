/**
 * Receives replies by SMTP on an unprivileged port. It is meant to sit behind the organisation's
 * mail relay (MX → relay → this listener) on the loopback or a private network: no AUTH and no
 * TLS, and it accepts only addresses of the reply domain, so it cannot be used to relay mail.
 * A message is answered 250 once recorded; a fault answers 451 so the sender tries again later.
 */
import type { SMTPServer, SMTPServerAddress } from 'smtp-server';
import { type InboundDeps, receiveMessage } from '../domain/inbound/receive.js';

/** Larger messages are refused at once (the SIZE extension tells senders beforehand). */
export const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

type Log = { info: (o: object, m: string) => void; warn: (o: object, m: string) => void; error: (o: object, m: string) => void };

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export class InboundSmtpListener {
  private server: SMTPServer | null = null;
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: InboundDeps,
    private readonly log: Log,
  ) {}

  /** Listens on `host:port` (0: any free port); returns the port. */
  async start(host: string, port: number): Promise<number> {
    // Loaded on first use: most processes never need it, and loading it would lengthen every start.
    const { SMTPServer } = await import('smtp-server');
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      disableReverseLookup: true,
      size: MAX_MESSAGE_BYTES,
      banner: 'Guichet : réponses par courriel',
      logger: false,
      onRcptTo: (address, _session, callback) =>
        this.acceptsRecipient(address) ? callback() : callback(smtpError(550, 'Adresse inconnue ici')),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (stream.sizeExceeded) return callback(smtpError(552, 'Message trop volumineux'));
          const work = this.handle(Buffer.concat(chunks), session.envelope).then(
            () => callback(),
            (error: Error) => {
              this.log.error({ err: error }, 'inbound mail processing failed');
              callback(smtpError(451, 'Erreur temporaire, réessayez plus tard'));
            },
          );
          this.inflight.add(work);
          void work.finally(() => this.inflight.delete(work));
        });
      },
    });
    server.on('error', (error) => this.log.warn({ err: error }, 'inbound SMTP error'));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  /** Stops listening, then waits for the messages being recorded. */
  async stop() {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all(this.inflight);
  }

  private acceptsRecipient(address: SMTPServerAddress): boolean {
    const base = this.deps.config.mailReplyTo;
    if (!base) return false;
    const domain = (a: string) => a.slice(a.lastIndexOf('@') + 1).toLowerCase();
    return address.address.includes('@') && domain(address.address) === domain(base);
  }

  private async handle(raw: Buffer, envelope: { mailFrom: SMTPServerAddress | false; rcptTo: SMTPServerAddress[] }) {
    const result = await receiveMessage(this.deps, raw, {
      channel: 'smtp',
      envelopeFrom: envelope.mailFrom ? envelope.mailFrom.address : '',
      envelopeTo: envelope.rcptTo.map((r) => r.address),
    });
    this.log.info({ outcome: result.outcome, reason: 'reason' in result ? result.reason : null }, 'inbound mail');
  }
}
