import type { RequestParts } from './http/event';

/** The local-only path that stands in for CloudWatch Logs delivering to a subscription filter. */
export const LOG_SUBSCRIPTION_ROUTE = 'POST /api/v1/admin/cloudwatch-logs';

type Reply = { status: number; body: unknown };

function problem(status: number, detail: string, field?: string): Reply {
  const titles: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden' };
  return {
    status,
    body: {
      type: 'https://vigil.dev/problems/cloudwatch-logs',
      title: titles[status] ?? 'Error',
      status,
      detail,
      errors: field ? [{ field, message: detail }] : [],
    },
  };
}

/**
 * Takes a CloudWatch Logs subscription event (`{"awslogs":{"data":"<base64 gzip>"}}`, as a
 * Lambda destination receives it) with an ingest key and hands it to the log subscriber
 * function, as CloudWatch Logs does on AWS.
 */
export async function logSubscriptionRoute(
  parts: RequestParts,
  auth: Record<string, unknown>,
  invoke: (event: unknown) => Promise<unknown>,
): Promise<Reply> {
  if (!auth.keyId) return problem(401, 'a valid API key is required');
  const scopes = String(auth.scopes ?? '').split(',');
  if (!scopes.includes('ingest') && !scopes.includes('admin'))
    return problem(403, "this API key lacks the 'ingest' scope");
  let event: { awslogs?: { data?: unknown } };
  try {
    event = JSON.parse(parts.body.toString('utf8'));
  } catch {
    return problem(400, 'the body is not valid JSON', 'body');
  }
  if (typeof event?.awslogs?.data !== 'string' || !event.awslogs.data)
    return problem(400, 'a subscription event is {"awslogs":{"data":"<base64 gzip JSON>"}}', 'awslogs.data');
  try {
    return { status: 200, body: await invoke(event) };
  } catch (error) {
    return problem(400, `awslogs.data is not base64 gzip JSON: ${(error as Error).message}`, 'awslogs.data');
  }
}
