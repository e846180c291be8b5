import { gzipSync } from 'node:zlib';

/** What CloudWatch Logs delivers to a subscription filter's Lambda destination. */
export function subscriptionEvent(payload: {
  messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  logGroup: string;
  logStream: string;
  logEvents: Array<{ id: string; timestamp: number; message: string }>;
}) {
  const body = { owner: '123456789012', subscriptionFilters: ['to-vigil'], ...payload };
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(body))).toString('base64') } };
}
