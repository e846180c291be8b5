import type { FieldError } from '@vigil/core';
import { appendRecord, LIMITS, type LogRecord, normalizeRecord } from '@vigil/core/logs';
import { LogStore } from '@vigil/dynamo';
import { platform } from '../platform/context';

export const logStore = () => new LogStore(platform().tables.logs);

/**
 * Normalizes and stores a batch; every rejected record is named with the reason. `instead`
 * may offer records to store in place of a rejected one (taken as sent, the message not
 * parsed), for senders that cannot send a record again; if one of those fails too, the
 * record counts as rejected.
 */
export async function ingestRecords(
  inputs: unknown[],
  now: number,
  defaults: { service?: string; source?: string; keepRawMessage?: boolean } = {},
  instead?: (index: number, errors: FieldError[]) => unknown[],
): Promise<{ accepted: number; rejected: number; errors: Array<FieldError & { index: number }> }> {
  const records: LogRecord[] = [];
  // Their timestamps in ms, as normalizing read them: the store need not read them again.
  const times: number[] = [];
  const errors: Array<FieldError & { index: number }> = [];
  for (let index = 0; index < inputs.length; index++) {
    const wrong = appendRecord(inputs[index], index, now, defaults, records, times);
    if (wrong && !(instead && rescue(instead(index, wrong), index, now, defaults, records, times)))
      for (const e of wrong) errors.push({ ...e, index });
  }
  if (records.length) await logStore().write(records, now, times);
  const rejected = new Set(errors.map((e) => e.index)).size;
  return { accepted: records.length, rejected, errors: errors.slice(0, 200) };
}

/** Adds the stand-ins of a rejected record if every one of them is valid. */
function rescue(
  inputs: unknown[],
  index: number,
  now: number,
  defaults: { service?: string; source?: string },
  into: LogRecord[],
  intoTimes: number[],
): boolean {
  const out: LogRecord[] = [];
  const times: number[] = [];
  for (const input of inputs) {
    const { record, time } = normalizeRecord(input, index, now, { ...defaults, keepRawMessage: true });
    if (!record) return false;
    out.push(record);
    times.push(time as number);
  }
  into.push(...out);
  intoTimes.push(...times);
  return out.length > 0;
}

export { LIMITS };
