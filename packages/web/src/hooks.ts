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
