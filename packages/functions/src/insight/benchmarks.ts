import { evaluateInstant } from '@vigil/core/promql';
import { type BenchmarkResult, type Rating, rateBenchmark, worstRating } from '@vigil/core/trends';
import { metricStores } from '../metrics/context';
import type { Benchmark } from './context';

export interface BenchmarkEvaluation {
  rating: Rating;
  series: Array<BenchmarkResult & { labels: Record<string, string> }>;
  at: string;
  error?: string;
}

/**
 * Measures a benchmark's query now and rates every series it returns; the benchmark's rating is
 * the worst of them. A query that fails rates `no_data` and says why.
 */
export async function evaluateBenchmark(benchmark: Benchmark, now: number): Promise<BenchmarkEvaluation> {
  const at = new Date(now).toISOString();
  try {
    const r = await evaluateInstant(benchmark.query, metricStores().querier, now);
    const samples =
      r.resultType === 'vector'
        ? r.vector
        : r.resultType === 'scalar'
          ? [{ labels: {}, value: r.value }]
          : [];
    const series = samples
      .filter((s) => Number.isFinite(s.value))
      .map((s) => ({ labels: s.labels, ...rateBenchmark(s.value, benchmark) }));
    return { rating: worstRating(series.map((s) => s.rating)), series, at };
  } catch (error) {
    return { rating: 'no_data', series: [], at, error: (error as Error).message };
  }
}
