/** The public API, with the key from sessionStorage; problems become readable errors. */
const KEY = 'vigil.key';
let base = '';

export async function loadConfig(): Promise<void> {
  try {
    const res = await fetch('./config.json');
    if (res.ok) base = ((await res.json()) as { apiUrl?: string }).apiUrl?.replace(/\/$/, '') ?? '';
  } catch {
    base = '';
  }
}

export const getKey = () => sessionStorage.getItem(KEY);
export const setKey = (key: string | null) =>
  key ? sessionStorage.setItem(KEY, key) : sessionStorage.removeItem(KEY);

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function api<T = any>(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { ...init.headers };
  const key = getKey();
  if (key) headers.authorization = `Bearer ${key}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  const text = await res.text();
  let data: any = text;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // plain text
  }
  if (!res.ok) {
    const detail = data?.detail ?? data?.error ?? data?.message ?? res.statusText;
    const fields =
      Array.isArray(data?.errors) && data.errors.length
        ? ` (${data.errors.map((e: { field: string; message: string }) => `${e.field}: ${e.message}`).join('; ')})`
        : '';
    throw new ApiError(`${res.status}: ${detail}${fields}`, res.status);
  }
  return data as T;
}
