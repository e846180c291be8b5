import type { FieldError } from '@vigil/core';
import { LIMITS, type LogRecord, normalizeRecord } from '@vigil/core/logs';
import { LogStore } from '@vigil/dynamo';
import { platform } from '../platform/context';

export const logStore = () => new LogStore(platform().tables.logs);

/** Normalizes and stores a batch; every rejected record is named with the reason. */
export async function ingestRecords(
  inputs: unknown[],
  now: number,
  defaults: { service?: string; source?: string; keepRawMessage?: boolean } = {},
): Promise<{ accepted: number; rejected: number; errors: Array<FieldError & { index: number }> }> {
  const records: LogRecord[] = [];
  const errors: Array<FieldError & { index: number }> = [];
  for (let index = 0; index < inputs.length; index++) {
    const { record, errors: wrong } = normalizeRecord(inputs[index], index, now, defaults);
    if (record) records.push(record);
    else for (const e of wrong) errors.push({ ...e, index });
  }
  if (records.length) await logStore().write(records, now);
  const rejected = new Set(errors.map((e) => e.index)).size;
  return { accepted: records.length, rejected, errors: errors.slice(0, 200) };
}

export { LIMITS };
