import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionRow, type Manifest, manifest } from './manifest';
import { grants, type Synthesized, synthesize } from './platform/testing';

/** The DynamoDB actions each access level means, written out here independently of iam.ts. */
const DYNAMO: Record<string, string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
};
DYNAMO.readwrite = [...DYNAMO.read, ...DYNAMO.write];

const pairs = (actions: string[], resources: unknown[]) =>
  actions.flatMap((a) => resources.map((r) => `${a} on ${JSON.stringify(r)}`));

/** Everything a function may do, derived from its manifest row alone. */
function expectedGrants(s: Synthesized, row: FunctionRow): string[] {
  const ref = (token: string) => s.stack.resolve(token);
  const p = s.platform;
  const logGroup = p.node.findChild(`Logs-${row.name}`) as unknown as { logGroupArn: string };
  const key = ref(p.notifications.key.keyArn);
  const out = [
    ...pairs(['logs:CreateLogStream', 'logs:PutLogEvents'], [ref(logGroup.logGroupArn)]),
    ...pairs(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], ['*']),
  ];
  for (const [name, access] of Object.entries(row.tables)) {
    const arn = p.tables.get(name)!.tableArn;
    out.push(...pairs(DYNAMO[access!], [ref(arn), ref(`${arn}/index/*`)]));
  }
  for (const topic of row.publishes)
    out.push(...pairs(['sns:Publish', 'sns:GetTopicAttributes'], [ref(p.topics.get(topic)!.topicArn)]));
  const isAsync = row.kind === 'job' || row.kind === 'channel' || row.kind === 'log-subscriber';
  if (isAsync) {
    const dlq = p.notifications.node.findChild(`Dlq-function-${row.name}`) as unknown as { queueArn: string };
    out.push(...pairs(['sqs:SendMessage'], [ref(dlq.queueArn)]));
  }
  if (row.publishes.length || isAsync) out.push(...pairs(['kms:Decrypt', 'kms:GenerateDataKey'], [key]));
  for (const secret of row.secrets ?? [])
    out.push(
      ...pairs(
        ['ssm:GetParameter'],
        [
          ref(
            s.stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `vigil/dev/${secret}` }),
          ),
        ],
      ),
    );
  return [...new Set(out)].sort();
}

describe('VigilPlatform IAM', () => {
  // The real manifest plus a row exercising secrets and write-only access.
  const withSecrets: Manifest = {
    ...manifest,
    functions: [
      ...manifest.functions,
      {
        name: 'iam-probe',
        kind: 'channel',
        entry: manifest.functions.find((f) => f.kind === 'http')!.entry,
        tables: { logs: 'write', metrics: 'read' },
        publishes: ['operations'],
        secrets: ['slack-webhook-url'],
      },
    ],
  };
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize({ manifest: withSecrets, webDist: '/nonexistent/dist' });
  }, 120_000);

  it.each(withSecrets.functions.map((f) => [f.name, f] as const))(
    'grants %s exactly what its manifest row declares',
    (name, row) => {
      const fn = s.platform.functions.get(name)!;
      const roleId = s.stack.getLogicalId(fn.role!.node.defaultChild as CfnRole);
      expect(grants(s, roleId)).toEqual(expectedGrants(s, row));
      const role = s.template.toJSON().Resources[roleId].Properties;
      expect(role.ManagedPolicyArns, 'no managed policies').toBeUndefined();
      expect(role.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
      ]);
    },
  );

  it('uses a wildcard resource only for X-Ray', () => {
    for (const [name, fn] of s.platform.functions) {
      const roleId = s.stack.getLogicalId(fn.role!.node.defaultChild as CfnRole);
      const wild = grants(s, roleId).filter((g) => g.endsWith('on "*"'));
      expect(wild, name).toEqual(['xray:PutTelemetryRecords on "*"', 'xray:PutTraceSegments on "*"']);
    }
  });

  it('lets each schedule invoke only its job and write only its dead-letter queue', () => {
    for (const row of manifest.schedules) {
      const schedule = s
        .of('AWS::Scheduler::Schedule')
        .find(([, x]) => x.Properties.Description === row.description)!;
      const target = schedule[1].Properties.Target;
      const roleId = target.RoleArn['Fn::GetAtt'][0];
      expect(grants(s, roleId), row.name).toEqual(
        [
          ...pairs(
            ['lambda:InvokeFunction'],
            [s.stack.resolve(s.platform.functions.get(row.function)!.functionArn)],
          ),
          ...pairs(['sqs:SendMessage'], [target.DeadLetterConfig.Arn]),
          ...pairs(
            ['kms:Decrypt', 'kms:GenerateDataKey'],
            [s.stack.resolve(s.platform.notifications.key.keyArn)],
          ),
        ].sort(),
      );
    }
  });

  it('puts only the name of a secret in the environment, never a value', () => {
    const fn = s.template.toJSON().Resources[s.idOf(s.platform.functions.get('iam-probe')!.functionArn)];
    expect(fn.Properties.Environment.Variables.VIGIL_SECRET_SLACK_WEBHOOK_URL_PARAMETER).toBe(
      '/vigil/dev/slack-webhook-url',
    );
  });
});
