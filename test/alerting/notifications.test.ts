import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/net';
import { startTestRuntime } from '../support/runtime';

interface Capture {
  url: string;
  requests: Array<{ path: string; headers: Record<string, string | string[] | undefined>; body: string }>;
  status: number;
  server: Server;
}

async function capture(status = 200): Promise<Capture> {
  const c: Capture = { url: '', requests: [], status, server: createServer() };
  c.server.on('request', (req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      c.requests.push({ path: req.url ?? '', headers: req.headers, body });
      res.statusCode = c.status;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => c.server.listen(0, '127.0.0.1', r));
  c.url = `http://127.0.0.1:${(c.server.address() as AddressInfo).port}`;
  return c;
}

describe('notifications end to end: Slack, signed webhook, a failing receiver and email over SMTP', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let slack: Capture;
  let hook: Capture;
  let broken: Capture;
  let smtp: SMTPServer;
  const mails: string[] = [];
  const envelopes: string[][] = [];

  beforeAll(async () => {
    [slack, hook, broken] = await Promise.all([capture(), capture(), capture(500)]);
    smtp = new SMTPServer({
      authOptional: true,
      disableReverseLookup: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, done) {
        let raw = '';
        stream.on('data', (d: Buffer) => (raw += d.toString()));
        stream.on('end', () => {
          mails.push(raw);
          envelopes.push(session.envelope.rcptTo.map((r) => r.address));
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    rt = await startTestRuntime({
      smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      emailTo: ['oncall@example.com'],
    });
    // Start on a minute boundary, so the minute job's ticks fall where the timings below expect.
    await rt.setClock(Date.parse('2026-11-20T12:00:00Z'));
    for (const r of [
      { name: 'team-slack', type: 'slack', url: `${slack.url}/slack`, sendResolved: true },
      {
        name: 'audit-hook',
        type: 'webhook',
        url: `${hook.url}/hook`,
        secret: 'a-long-shared-secret-123',
        sendResolved: true,
      },
      { name: 'broken-hook', type: 'webhook', url: `${broken.url}/hook`, sendResolved: true },
      { name: 'team-email', type: 'email', sendResolved: true },
    ])
      expect((await rt.api('POST', '/api/v1/receivers', r)).status).toBe(201);
    const routing = await rt.api('PUT', '/api/v1/routing', {
      route: {
        receiver: 'team-slack',
        group_by: ['alertname'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
        routes: [
          { matchers: ['severity="critical"'], receiver: 'broken-hook', continue: true },
          { matchers: ['severity="critical"'], receiver: 'audit-hook', continue: true },
          { matchers: ['severity="critical"'], receiver: 'team-email', continue: true },
          { matchers: ['severity="critical"'], receiver: 'team-slack' },
        ],
      },
    });
    expect(routing.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await rt?.cleanup();
    for (const c of [slack, hook, broken]) c?.server.close();
    smtp?.close();
  });

  it('delivers one critical group to Slack, the signed webhook and email while a broken receiver retries, opens its circuit and dead-letters', async () => {
    await rt.api('POST', '/api/v2/alerts', [
      {
        labels: { alertname: 'DiskFull', severity: 'critical', service: 'db' },
        annotations: { summary: 'disk full on db-1', runbook_url: 'https://runbooks.example/disk' },
      },
    ]);
    await rt.advanceClock(60_000);
    expect(slack.requests).toHaveLength(1);
    const blocks = JSON.parse(slack.requests[0].body);
    expect(blocks.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(blocks)).toContain('disk full on db-1');
    expect(hook.requests).toHaveLength(1);
    const { headers, body } = hook.requests[0];
    const expected = `sha256=${createHmac('sha256', 'a-long-shared-secret-123').update(`${headers['x-vigil-timestamp']}.${body}`).digest('hex')}`;
    expect(headers['x-vigil-signature']).toBe(expected);
    expect(JSON.parse(body)).toMatchObject({ version: '4', status: 'firing', receiver: 'audit-hook' });
    await waitFor(async () => mails.length === 1, 5_000);
    expect((await simpleParser(mails[0])).text).toContain('disk full on db-1');
    // An email receiver without `to` mails the default recipients.
    expect(envelopes[0]).toEqual(['oncall@example.com']);
    // The broken receiver was tried several times (retries inside the channel and SNS's redelivery), then dead-lettered.
    expect(broken.requests.length).toBeGreaterThanOrEqual(3);
    expect(rt.sns.deadLetters.map((d) => d.subscription)).toContain('webhook');
    const health = await rt.api('GET', '/health/detailed');
    expect(health.body.checks.find((c: { name: string }) => c.name === 'circuit:broken-hook')?.state).toBe(
      'open',
    );
  });

  it('does not notify again within group_interval for the same alerts', async () => {
    await rt.api('POST', '/api/v2/alerts', [
      {
        labels: { alertname: 'DiskFull', severity: 'critical', service: 'db' },
        annotations: { summary: 'disk full on db-1' },
      },
    ]);
    await rt.advanceClock(2 * 60_000);
    expect(slack.requests).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
  });

  it('mails a test notification of an email receiver to exactly its `to`', async () => {
    const created = await rt.api('POST', '/api/v1/receivers', {
      name: 'db-email',
      type: 'email',
      to: ['DBA@example.com', 'db-lead@example.com'],
      sendResolved: false,
    });
    expect(created.status).toBe(201);
    const before = mails.length;
    const res = await rt.api('POST', '/api/v1/receivers/db-email/test');
    expect(res.status).toBeLessThan(300);
    await waitFor(async () => mails.length === before + 1, 5_000);
    expect(envelopes[before].sort()).toEqual(['db-lead@example.com', 'dba@example.com']);
    expect((await simpleParser(mails[before])).text).toContain('Test notification for receiver db-email');
  });
});
