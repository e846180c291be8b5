import { hideSdkNodeVersionNotice } from '../../packages/local/src/warnings';

hideSdkNodeVersionNotice();

// Handlers log through Powertools; tests assert on behaviour, so keep their output quiet unless asked.
process.env.VIGIL_LOG_LEVEL ??= 'SILENT';
// Outside Lambda, Powertools would print EMF metric lines to stdout; tests do not need them.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
