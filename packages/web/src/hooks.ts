import { useCallback, useEffect, useState } from 'preact/hooks';

/** Loads data from the API, refreshing every `everyMs`; errors are kept for display. */
export function useApi<T>(load: () => Promise<T>, deps: unknown[] = [], everyMs = 0) {
  const [data, setData] = useState<T | undefined>();
  const [error, setError] = useState<string | undefined>();
  const refresh = useCallback(() => {
    load().then(
      (d) => {
        setData(d);
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    );
  }, deps);
  useEffect(() => {
    refresh();
    if (!everyMs) return;
    const t = setInterval(refresh, everyMs);
    return () => clearInterval(t);
  }, [refresh]);
  return { data, error, refresh };
}

/**
 * Runs user actions against the API: `busy` while one runs, its error kept for display, and
 * `after` (a refresh) once it succeeded. Resolves to whether the action succeeded.
 */
export function useAction(after: () => void = () => undefined) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    try {
      await fn();
      setError(undefined);
      after();
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, error, busy };
}
