import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../support/net';
import { startTestRuntime } from '../support/runtime';

const PROMETHEUS = '/usr/bin/prometheus';
const MIN = 60_000;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/**
 * Vigil as the Alertmanager of a real Prometheus (Debian's package): a rule fires, Prometheus
 * POSTs it to /api/v2/alerts with an API key, and the group ends in one Slack message and one
 * email in a real SMTP server — and only one, however often Prometheus re-sends or the group
 * is flushed again.
 *
 * Prometheus drops alerts it evaluates before its Alertmanager discovery has synced (about 5 s
 * after start) and re-sends only after `--rules.alert.resend-delay`; so the rule is made to fire
 * (through a scraped gauge) only once Prometheus lists Vigil among its active Alertmanagers.
 * Vigil's group timers run on the test clock, which stays within the alert's `endsAt`
 * (Prometheus sets it to 4 × the resend delay ahead).
 */
describe('a real Prometheus sends its alerts to Vigil as its Alertmanager', () => {
  let rt: Awaited<ReturnType<typeof startTestRuntime>>;
  let prom: ChildProcess | undefined;
  let promUrl = '';
  let promLog = '';
  let dir = '';
  let firing = 0;
  const servers: Server[] = [];
  const slack: Array<{ body: string }> = [];
  const mails: Array<{ raw: string; rcptTo: string[] }> = [];
  let smtp: SMTPServer;

  beforeAll(async () => {
    if (!existsSync(PROMETHEUS))
      throw new Error(`this test needs Debian's prometheus (${PROMETHEUS}): apt-get install prometheus`);
    smtp = new SMTPServer({
      authOptional: true,
      disableReverseLookup: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, done) {
        let raw = '';
        stream.on('data', (d: Buffer) => (raw += d.toString()));
        stream.on('end', () => {
          mails.push({ raw, rcptTo: session.envelope.rcptTo.map((r) => r.address) });
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const slackServer = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        slack.push({ body });
        res.end('ok');
      });
    });
    servers.push(slackServer);
    const slackHost = await listen(slackServer);
    // What Prometheus scrapes: the gauge its rule fires on, 0 until the test says so.
    const target = createServer((_req, res) => {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(`# TYPE vigil_e2e_queue_stuck gauge\nvigil_e2e_queue_stuck ${firing}\n`);
    });
    servers.push(target);
    const targetHost = await listen(target);

    rt = await startTestRuntime({
      smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      emailTo: ['default@example.com'],
    });
    await rt.setClock(Date.now());
    for (const receiver of [
      { name: 'prom-slack', type: 'slack', url: `http://${slackHost}/services/T0/B0/x`, sendResolved: true },
      { name: 'prom-email', type: 'email', to: ['SRE@example.com'], sendResolved: true },
    ])
      expect((await rt.api('POST', '/api/v1/receivers', receiver)).status).toBe(201);
    const routing = await rt.api('PUT', '/api/v1/routing', {
      route: {
        receiver: 'prom-slack',
        group_by: ['alertname'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
        routes: [
          { matchers: ['severity="critical"'], receiver: 'prom-email', continue: true },
          { matchers: ['severity="critical"'], receiver: 'prom-slack' },
        ],
      },
    });
    expect(routing.status).toBe(200);
    // Prometheus authenticates with a key of the route's scope, as an operator would configure it.
    const key = await rt.api('POST', '/api/v1/keys', { name: 'prometheus', scopes: ['write'] });
    expect(key.status).toBe(201);

    dir = mkdtempSync(join(tmpdir(), 'vigil-prom-am-'));
    writeFileSync(
      join(dir, 'rules.yml'),
      [
        'groups:',
        '  - name: vigil-e2e',
        '    interval: 1s',
        '    rules:',
        '      - alert: QueueStuck',
        '        expr: vigil_e2e_queue_stuck > 0',
        '        for: 0s',
        '        labels: {severity: critical, service: queue}',
        '        annotations:',
        '          summary: "queue stuck on {{ $labels.instance }}"',
        '          runbook_url: https://runbooks.example/queue',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'rule_files: [rules.yml]',
        'scrape_configs:',
        '  - job_name: e2e',
        '    static_configs:',
        `      - targets: ['${targetHost}']`,
        'alerting:',
        '  alertmanagers:',
        '    - api_version: v2',
        '      scheme: http',
        '      path_prefix: /',
        '      timeout: 10s',
        '      authorization:',
        '        type: Bearer',
        `        credentials: ${key.body.key}`,
        '      static_configs:',
        `        - targets: ['127.0.0.1:${rt.port}']`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prom = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--rules.alert.resend-delay=2m',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prom.stderr?.on('data', (d) => (promLog = (promLog + d).slice(-4000)));
    const promJson = async (path: string) => (await fetch(`${promUrl}${path}`)).json();
    await waitFor(
      async () => (await promJson('/api/v1/alertmanagers')).data.activeAlertmanagers.length === 1,
      60_000,
      250,
    );
    firing = 1;
    await waitFor(async () => (await queueStuck()).length > 0, 60_000, 250);
  }, 120_000);

  const queueStuck = async () => {
    const res = await rt.api('GET', `/api/v2/alerts?filter=${encodeURIComponent('alertname="QueueStuck"')}`);
    expect(res.status).toBe(200);
    return res.body as Array<{
      labels: Record<string, string>;
      generatorURL: string;
      status: { state: string };
    }>;
  };

  afterAll(async () => {
    prom?.kill('SIGKILL');
    for (const s of servers) s.close();
    smtp?.close();
    await rt?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ends in exactly one Slack message and one email, and no more on later flushes', async () => {
    const [alert, ...others] = await queueStuck();
    expect(others).toHaveLength(0);
    expect(alert.labels).toMatchObject({ alertname: 'QueueStuck', severity: 'critical', service: 'queue' });
    expect(alert.generatorURL).toContain('vigil_e2e_queue_stuck');
    expect(alert.status.state).toBe('active');
    expect(slack).toHaveLength(0); // still within group_wait

    // The first minute job after group_wait (30 s) flushes the group: within two minutes.
    await rt.advanceClock(2 * MIN);
    expect(slack, promLog).toHaveLength(1);
    await waitFor(async () => mails.length === 1, 10_000);
    const text = JSON.stringify(JSON.parse(slack[0].body));
    expect(text).toContain('queue stuck on');
    expect(text).toContain('https://runbooks.example/queue');
    const mail = await simpleParser(mails[0].raw);
    expect(mail.subject).toContain('FIRING');
    expect(mail.text).toContain('QueueStuck');
    // The email receiver's `to` decides the recipients, not the default list.
    expect(mails[0].rcptTo).toEqual(['sre@example.com']);

    // Later flushes (the group_interval tick included) while Prometheus keeps the alert firing:
    // nothing new to say, so nothing is sent.
    for (let i = 0; i < 5; i++) {
      await rt.advanceClock(MIN);
      await rt.runJob('evaluate-alerts');
    }
    expect(slack).toHaveLength(1);
    expect(mails).toHaveLength(1);
    expect((await queueStuck())[0].status.state).toBe('active');

    // Prometheus saw its notifications accepted.
    const metrics = await (await fetch(`${promUrl}/metrics`)).text();
    const sent = Number(/^prometheus_notifications_sent_total\{[^}]*\} (\S+)$/m.exec(metrics)?.[1]);
    const errors = Number(/^prometheus_notifications_errors_total\{[^}]*\} (\S+)$/m.exec(metrics)?.[1]);
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(errors).toBe(0);
  });
});
