import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FunctionRow } from '@vigil/infra/manifest';

/** The repository root: handler entries in the manifest are relative to it. */
export const repoRoot = new URL('../../../', import.meta.url).pathname;

// biome-ignore lint/suspicious/noExplicitAny: handlers take API Gateway, SNS or scheduler events
export type AnyHandler = (event: any, context?: any) => Promise<any>;

/** Imports every function's handler once, as Lambda would load each bundle. */
export async function loadHandlers(rows: FunctionRow[]): Promise<Map<string, AnyHandler>> {
  const out = new Map<string, AnyHandler>();
  for (const row of rows) {
    const module = await import(pathToFileURL(join(repoRoot, row.entry)).href);
    if (typeof module.handler !== 'function')
      throw new Error(`${row.entry} does not export a handler (function ${row.name})`);
    out.set(row.name, module.handler);
  }
  return out;
}

/** A Lambda context object with the fields handlers read. */
export function lambdaContext(functionName: string, requestId: string) {
  const deadline = Date.now() + 30_000;
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
