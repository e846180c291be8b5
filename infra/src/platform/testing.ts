import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { Manifest } from '../manifest';
import { VigilPlatform, type VigilPlatformProps } from '../platform';
import { applySuppressions } from './nag';

/** CDK context that skips esbuild bundling (NodejsFunction then points at an empty asset). */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** A resource of a synthesized template. */
export interface Resource {
  Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are untyped JSON.
  Properties: Record<string, any>;
  DeletionPolicy?: string;
}

/** A synthesized platform for tests: the construct, its stack, template and lookups. */
export interface Synthesized {
  app: App;
  stack: Stack;
  platform: VigilPlatform;
  template: Template;
  /** Resources of a type, as [logicalId, resource] pairs. */
  of(type: string): Array<[string, Resource]>;
  /** The logical id behind a token (`Ref`/`Fn::GetAtt`) such as `table.tableArn`. */
  idOf(token: string): string;
}

/**
 * Synthesizes the platform offline without bundling, with cdk-nag (AwsSolutions and Serverless)
 * and the accepted suppressions applied.
 */
export function synthesize(props: Partial<VigilPlatformProps> & { manifest?: Manifest } = {}): Synthesized {
  const app = new App({ context: NO_BUNDLING });
  const stack = new Stack(app, 'vigil-test', { env: { account: '123456789012', region: 'us-east-1' } });
  const platform = new VigilPlatform(stack, 'Vigil', { stage: 'dev', ...props });
  applySuppressions(stack);
  Aspects.of(app).add(new AwsSolutionsChecks());
  Aspects.of(app).add(new ServerlessChecks());
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  return {
    app,
    stack,
    platform,
    template,
    of: (type) => Object.entries(resources).filter(([, r]) => r.Type === type),
    idOf: (token) => {
      const resolved = stack.resolve(token) as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      const id = resolved.Ref ?? resolved['Fn::GetAtt']?.[0];
      if (!id) throw new Error(`not a resource token: ${JSON.stringify(resolved)}`);
      return id;
    },
  };
}

/**
 * Every (action, resource) pair a role is allowed by its inline policies, as `action on
 * <resource JSON>` strings: what the IAM tests compare exactly.
 */
export function grants(s: Synthesized, roleId: string): string[] {
  const pairs: string[] = [];
  for (const [, policy] of s.of('AWS::IAM::Policy')) {
    if (!policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId)) continue;
    for (const st of policy.Properties.PolicyDocument.Statement) {
      if (st.Effect !== 'Allow' || st.Condition) pairs.push(`unexpected statement ${JSON.stringify(st)}`);
      for (const action of [st.Action].flat())
        for (const resource of [st.Resource].flat()) pairs.push(`${action} on ${JSON.stringify(resource)}`);
    }
  }
  return [...new Set(pairs)].sort();
}
