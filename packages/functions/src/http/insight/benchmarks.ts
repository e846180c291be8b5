import { randomUUID } from 'node:crypto';
import { targetProblem } from '@vigil/core/trends';
import * as z from 'zod';
import { evaluateBenchmark } from '../../insight/benchmarks';
import { type Benchmark, insight } from '../../insight/context';
import { route } from '../toolkit/index';
import { Id, Query } from './routes';

const BenchmarkBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    query: Query,
    unit: z.string().max(20).default(''),
    baseline: z.number().finite(),
    target: z.number().finite(),
    better: z.enum(['lower', 'higher']),
    description: z.string().max(2000).default(''),
  })
  .superRefine((b, ctx) => {
    const problem = targetProblem(b);
    if (problem) ctx.addIssue({ code: 'custom', path: ['target'], message: problem });
  });

const withEvaluation = async (b: Benchmark, now: number) => ({
  ...b,
  evaluation: await evaluateBenchmark(b, now),
});

/** Benchmarks: a query's value against a baseline and a target (exceeds / meets / below). */
export const benchmarkRoutes = {
  'GET /api/v1/benchmarks': route({
    handle: async ({ now }) => {
      const all = (await insight().benchmarks.all()).sort((a, b) => a.name.localeCompare(b.name));
      return { body: { benchmarks: await Promise.all(all.map((b) => withEvaluation(b, now))) } };
    },
  }),
  'POST /api/v1/benchmarks': route({
    body: BenchmarkBody,
    handle: async ({ body, now }) => {
      const created = await insight().benchmarks.create({ id: `bm_${randomUUID().slice(0, 8)}`, ...body });
      return { status: 201, body: await withEvaluation(created, now) };
    },
  }),
  'GET /api/v1/benchmarks/{id}': route({
    params: Id,
    handle: async ({ params, now }) => ({
      body: await withEvaluation(await insight().benchmarks.require(params.id), now),
    }),
  }),
  'PUT /api/v1/benchmarks/{id}': route({
    params: Id,
    body: BenchmarkBody,
    handle: async ({ params, body, now }) => ({
      body: await withEvaluation(
        await insight().benchmarks.update(params.id, (b) => ({ ...b, ...body })),
        now,
      ),
    }),
  }),
  'DELETE /api/v1/benchmarks/{id}': route({
    params: Id,
    handle: async ({ params }) => {
      await insight().benchmarks.require(params.id);
      await insight().benchmarks.delete(params.id);
      return { status: 204 };
    },
  }),
};
