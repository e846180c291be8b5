/**
 * Powertools wired once for every handler: structured JSON logs, X-Ray tracing (off outside
 * Lambda) and EMF metrics in the `Vigil` namespace. Handlers never call console.log.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'vigil';

export const logger = new Logger({
  serviceName,
  logLevel: (process.env.VIGIL_LOG_LEVEL ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO') as 'INFO',
});
export const tracer = new Tracer({ serviceName });
export const metrics = new Metrics({ namespace: 'Vigil', serviceName });
/**
 * The per-request metrics of the http handlers, flushed as one EMF record per request: one
 * instance for every request, as building one (as singleMetric does) costs more than most
 * requests' own work.
 */
export const requestMetrics = new Metrics({ namespace: 'Vigil', serviceName });
