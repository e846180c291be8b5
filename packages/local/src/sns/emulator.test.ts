import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '@vigil/core';
import type { SubscriptionRow } from '@vigil/infra/manifest';
import { describe, expect, it } from 'vitest';
import type { AnyHandler } from '../handlers';
import { Mailer } from './email';
import { SnsEmulator } from './emulator';

const subs: SubscriptionRow[] = [
  {
    name: 'slack',
    topic: 'notifications',
    protocol: 'lambda',
    function: 'slack',
    filterPolicy: { channel: ['slack'] },
  },
  {
    name: 'pager',
    topic: 'notifications',
    protocol: 'lambda',
    function: 'pager',
    filterPolicy: { channel: ['pagerduty'], severity: ['critical'] },
  },
  { name: 'email', topic: 'notifications', protocol: 'email', filterPolicy: { channel: ['email'] } },
];

function setup(handlers: Record<string, AnyHandler>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-sns-'));
  const sns = new SnsEmulator(subs, new Map(Object.entries(handlers)), new Mailer(join(dataDir, 'outbox')), {
    clock: new FixedClock(0),
    dataDir,
    emailTo: ['oncall@example.com'],
    retryDelayMs: 1,
  });
  return { sns, dataDir };
}

describe('SnsEmulator', () => {
  it('delivers only to subscriptions whose filter policy matches, in the SNS Lambda event shape', async () => {
    const events: unknown[] = [];
    const { sns } = setup({
      slack: async (e) => void events.push(e),
      pager: async () => void events.push('pager'),
    });
    await sns.publish({
      topic: 'notifications',
      subject: 'Firing',
      message: { default: '{"a":1}', email: 'text' },
      attributes: { channel: 'slack', severity: 'high', n: 3 },
    });
    await sns.drain();
    expect(events).toHaveLength(1);
    const record = (events[0] as { Records: Array<{ Sns: Record<string, unknown>; EventSource: string }> })
      .Records[0];
    expect(record.EventSource).toBe('aws:sns');
    expect(record.Sns.Message).toBe('{"a":1}');
    expect(record.Sns.Subject).toBe('Firing');
    expect(record.Sns.MessageAttributes).toEqual({
      channel: { Type: 'String', Value: 'slack' },
      severity: { Type: 'String', Value: 'high' },
      n: { Type: 'Number', Value: '3' },
    });
  });

  it('retries a failing Lambda three times, then dead-letters it without holding up others', async () => {
    let attempts = 0;
    const delivered: string[] = [];
    const { sns, dataDir } = setup({
      slack: async () => {
        attempts++;
        throw new Error('500 from Slack');
      },
      pager: async () => void delivered.push('pager'),
    });
    await sns.publish({ topic: 'notifications', message: 'x', attributes: { channel: 'slack' } });
    await sns.publish({
      topic: 'notifications',
      message: 'y',
      attributes: { channel: 'pagerduty', severity: 'critical' },
    });
    await sns.drain();
    expect(attempts).toBe(3);
    expect(delivered).toEqual(['pager']);
    expect(sns.deadLetters).toMatchObject([{ subscription: 'slack', attempts: 3, error: '500 from Slack' }]);
    expect(readdirSync(join(dataDir, 'dead-letters', 'slack'))).toHaveLength(1);
  });

  it('writes email subscriptions as .eml files with the email text', async () => {
    const { sns, dataDir } = setup({});
    await sns.publish({
      topic: 'notifications',
      subject: 'Disk full',
      message: { default: '{}', email: 'The disk on db-1 is full.' },
      attributes: { channel: 'email' },
    });
    await sns.drain();
    const files = readdirSync(join(dataDir, 'outbox'));
    expect(files).toHaveLength(1);
    const eml = readFileSync(join(dataDir, 'outbox', files[0]), 'utf8');
    expect(eml).toContain('Subject: Disk full');
    expect(eml).toContain('To: oncall@example.com');
    expect(eml).toContain('The disk on db-1 is full.');
  });

  it('refuses to publish while the topic is unavailable', async () => {
    const { sns } = setup({});
    sns.available = false;
    await expect(sns.publish({ topic: 'notifications', message: 'x' })).rejects.toThrow('unavailable');
  });
});
