/**
 * Replies by e-mail through the whole portal as it runs: notifications go out over SMTP, the
 * requester answers the notification from a mail client to the portal's own inbound listener
 * (started by the portal from INBOUND_SMTP_PORT), and the answer appears once in the history.
 * An auto-reply adds nothing; the administrator sees both under « Courriels reçus ». axe runs on
 * the pages visited.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { Page } from 'playwright-core';
import { MailSink, mailsTo } from '../test/support/mail-sink.js';
import {
  act,
  expectNoAxeViolations,
  fileRequest,
  freePort,
  type Harness,
  startHarness,
  statusOf,
  storySteps,
} from './support/browser.js';

const REQUESTER = 'demandeur@demo.assistance.localhost';
const SUBJECT = 'Export des stagiaires vide';
const QUESTION = 'Depuis quel menu lancez-vous l’export ?';
const ANSWER = 'Depuis « Exporter », en haut à droite de la liste.';

/** Waits for the notification of request `number` to the requester that carries `subject`. */
async function notificationOf(sink: MailSink, number: number, subject: RegExp): Promise<ParsedMail> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const mail = (await mailsTo(sink, REQUESTER)).find((m) => m.subject?.includes(`n° ${number}]`) && subject.test(m.subject));
    if (mail) return mail;
    if (Date.now() > deadline) assert.fail(`no notification « ${subject.source} » of request ${number}`);
    await sleep(250);
  }
}

async function send(port: number, message: Mail.Options) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail(message);
  } finally {
    transport.close();
  }
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('replies by e-mail in the running portal', () => {
  const step = storySteps();
  let h: Harness;
  let sink: MailSink;
  let inboundPort: number;
  let requester: Page;
  let number: number;
  let notification: ParsedMail;

  before(async () => {
    sink = new MailSink();
    const smtpPort = await sink.start();
    inboundPort = await freePort();
    h = await startHarness({
      env: {
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        MAIL_REPLY_TO: 'reponse@assistance.localhost',
        INBOUND_SMTP_PORT: String(inboundPort),
      },
    });
  });
  after(async () => {
    await h?.stop();
    await sink?.stop();
  });

  step('the agent asks for information; the notification can be answered', async () => {
    requester = await h.person('demandeur');
    number = await fileRequest(requester, {
      subject: SUBJECT,
      application: 'CERES',
      blocking: false,
      description: 'Le fichier est vide.',
    });
    const agent = await h.person('agent');
    await agent.goto(`/demandes/${number}`);
    await act(agent, 'Demander un complément', QUESTION);
    notification = await notificationOf(sink, number, /Complément/);
    assert.match(notification.replyTo?.value[0]?.address ?? '', /^reponse\+/);
  });

  step('the requester replies from a mail client: the answer is in the history once', async () => {
    const reply: Mail.Options = {
      from: REQUESTER,
      to: notification.replyTo?.value[0]?.address,
      subject: `RE: ${notification.subject}`,
      inReplyTo: notification.messageId,
      text: `${ANSWER}\n\nLe lun. 2 mars 2026 à 10:00, Assistance a écrit :\n> ${QUESTION}\n`,
      messageId: `<e2e-${Date.now()}@exemple.fr>`,
    };
    await send(inboundPort, reply);
    await send(inboundPort, reply);
    await send(inboundPort, {
      ...reply,
      messageId: `<e2e-auto-${Date.now()}@exemple.fr>`,
      text: 'Je suis absente.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await requester.goto(`/demandes/${number}`);
    assert.equal(await statusOf(requester), 'En cours de traitement');
    const history = requester.getByRole('region', { name: 'Historique' });
    assert.equal(await history.getByText(ANSWER).count(), 1);
    assert.equal(await history.getByText('Je suis absente.').count(), 0);
    await expectNoAxeViolations(requester);
  });

  step('the administrator sees the replies and what became of them', async () => {
    const admin = await h.person('admin');
    await admin.goto('/admin');
    await admin.getByRole('link', { name: 'Courriels reçus' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Courriels reçus' }).waitFor();
    const table = admin.getByRole('table', { name: /Courriels reçus/ });
    assert.equal(await table.getByText('Ajouté à la demande').count(), 1);
    assert.equal(await table.getByText('Ignoré (automatique)').count(), 1);
    await expectNoAxeViolations(admin);
  });

  step('the listener stops with the portal', async () => {
    assert.ok(await accepts(inboundPort));
    await h.stop();
    assert.equal(await accepts(inboundPort), false);
    h = undefined as unknown as Harness;
  });
});
