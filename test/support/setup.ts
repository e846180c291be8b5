import { hideSdkNodeVersionNotice } from '../../packages/local/src/warnings';

hideSdkNodeVersionNotice();

// Handlers log through Powertools; tests assert on behaviour, so keep their output quiet unless asked.
process.env.VIGIL_LOG_LEVEL ??= 'SILENT';
