import { startRuntime } from './runtime';
import { hideSdkNodeVersionNotice } from './warnings';

/**
 * `npm start`: the local platform. Configuration comes from the environment (see README).
 */
hideSdkNodeVersionNotice();

const env = process.env;
const started = performance.now();
const runtime = await startRuntime({
  port: env.VIGIL_PORT ? Number(env.VIGIL_PORT) : 8787,
  host: env.VIGIL_HOST ?? '127.0.0.1',
  dataDir: env.VIGIL_DATA_DIR ?? '.vigil',
  adminKey: env.VIGIL_ADMIN_KEY || undefined,
  testClock: env.VIGIL_TEST_CLOCK === '1',
  allowPrivateTargets: env.VIGIL_ALLOW_PRIVATE_TARGETS === '1',
  smtpUrl: env.VIGIL_SMTP_URL || undefined,
  emailTo: env.VIGIL_EMAIL_TO ? env.VIGIL_EMAIL_TO.split(',').map((s) => s.trim()) : undefined,
  webDir: env.VIGIL_WEB_DIR || undefined,
  logLevel: env.VIGIL_LOG_LEVEL,
});

const keyNote =
  runtime.adminKeySource === 'env' ? '(from VIGIL_ADMIN_KEY)' : `(kept in ${runtime.dataDir}/admin-key)`;
process.stdout.write(
  [
    '',
    `  Vigil is running at ${runtime.url}  (ready in ${Math.round(performance.now() - started)} ms)`,
    `  Dashboard sign-in:   ${runtime.url}/#/signin?key=${encodeURIComponent(runtime.adminKey)}`,
    `  Admin API key:       ${runtime.adminKey} ${keyNote}`,
    `  Data:                ${runtime.dataDir}${env.VIGIL_TEST_CLOCK === '1' ? '   (test clock: POST /api/v1/admin/clock)' : ''}`,
    `  Email:               ${env.VIGIL_SMTP_URL ? env.VIGIL_SMTP_URL.replace(/\/\/[^@]*@/, '//***@') : `${runtime.outbox}/*.eml`}`,
    '',
    '  Try:  curl -H "Authorization: Bearer $KEY" ' + `${runtime.url}/health/detailed`,
    '',
  ].join('\n'),
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write(`\n  ${signal}: stopping Vigil…\n`);
    runtime.stop().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`shutdown failed: ${error}\n`);
        process.exit(1);
      },
    );
  });
}
