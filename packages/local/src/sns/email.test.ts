import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mailer } from './email';

describe('Mailer over SMTP', () => {
  const received: string[] = [];
  let server: SMTPServer;
  let port: number;
  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disableReverseLookup: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        let raw = '';
        stream.on('data', (c: Buffer) => {
          raw += c.toString('utf8');
        });
        stream.on('end', () => {
          received.push(raw);
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('delivers to the SMTP server at VIGIL_SMTP_URL instead of the outbox', async () => {
    const mailer = new Mailer(
      join(mkdtempSync(join(tmpdir(), 'vigil-mail-')), 'outbox'),
      `smtp://127.0.0.1:${port}`,
    );
    const file = await mailer.send({
      to: ['oncall@example.com'],
      subject: '[FIRING] HighErrorRate',
      text: 'api error rate 12 %',
      id: 'm1',
    });
    expect(file).toBeUndefined();
    expect(received).toHaveLength(1);
    const mail = await simpleParser(received[0]);
    expect(mail.subject).toBe('[FIRING] HighErrorRate');
    expect(mail.text?.trim()).toBe('api error rate 12 %');
  });
});
