/**
 * The inbound e-mail channels the configuration asks for: the SMTP listener and/or the IMAP poller.
 */
import type { Config } from '../config.js';
import type { InboundDeps } from '../domain/inbound/receive.js';
import { InboundImapPoller } from './inbound-imap.js';
import { InboundSmtpListener } from './inbound-smtp.js';

type Log = { info: (o: object, m: string) => void; warn: (o: object, m: string) => void; error: (o: object, m: string) => void };

export type InboundChannels = { smtpPort?: number; stop(): Promise<void> };

export async function startInbound(config: Config, deps: InboundDeps, log: Log): Promise<InboundChannels> {
  if ((config.inbound.smtp || config.inbound.imapUrl) && !config.mailReplyTo) {
    log.warn({}, 'MAIL_REPLY_TO non défini : les courriels reçus seront tous refusés');
  }
  const listener = config.inbound.smtp ? new InboundSmtpListener(deps, log) : null;
  const smtpPort =
    listener && config.inbound.smtp ? await listener.start(config.inbound.smtp.host, config.inbound.smtp.port) : undefined;
  if (smtpPort !== undefined) log.info({ port: smtpPort }, 'réception des courriels par SMTP');
  // The mailbox is read by the processes that run the jobs (DISABLE_WORKER unset); any number of them may.
  const poller = config.inbound.imapUrl && config.runWorker ? new InboundImapPoller(deps, config.inbound.imapUrl, log) : null;
  poller?.start();
  return {
    smtpPort,
    async stop() {
      await listener?.stop();
      await poller?.stop();
    },
  };
}
