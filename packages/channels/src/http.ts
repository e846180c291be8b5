/** What a delivery attempt concluded. */
export type DeliveryResult =
  | { ok: true; status: number; attempts: number }
  | { ok: false; status: number | null; attempts: number; retryable: boolean; error: string };

export interface SendOptions {
  timeoutMs?: number;
  attempts?: number;
  /** Waits between attempts (injected by tests). */
  sleep?: (ms: number) => Promise<void>;
  baseDelayMs?: number;
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * POSTs a body, retrying 5xx, 429 (honouring Retry-After) and timeouts with exponential
 * backoff; other 4xx are final (retrying a rejected request cannot succeed).
 */
export async function postWithRetry(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: SendOptions = {},
): Promise<DeliveryResult> {
  const attempts = options.attempts ?? 3;
  const sleep = options.sleep ?? sleepReal;
  let last: DeliveryResult = {
    ok: false,
    status: null,
    attempts: 0,
    retryable: true,
    error: 'not attempted',
  };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let wait = (options.baseDelayMs ?? 200) * 2 ** (attempt - 1);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Vigil/0.1', ...headers },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        redirect: 'error',
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.ok) return { ok: true, status: res.status, attempts: attempt };
      const retryable = res.status >= 500 || res.status === 429;
      last = { ok: false, status: res.status, attempts: attempt, retryable, error: `HTTP ${res.status}` };
      if (!retryable) return last;
      const retryAfter = Number(res.headers.get('retry-after'));
      if (res.status === 429 && Number.isFinite(retryAfter) && retryAfter > 0)
        wait = Math.min(retryAfter * 1000, 30_000);
    } catch (error) {
      last = {
        ok: false,
        status: null,
        attempts: attempt,
        retryable: true,
        error: (error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message,
      };
    }
    if (attempt < attempts) await sleep(wait);
  }
  return last;
}
