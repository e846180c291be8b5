import type { SSTConfig } from 'sst';
import { Platform } from './stacks/platform';

/** The SST v2 app: `npm run deploy` runs `sst deploy`; `--stage prod` keeps tables on removal. */
export default {
  config(input) {
    return { name: 'vigil', region: input.region ?? process.env.AWS_REGION ?? 'us-east-1' };
  },
  stacks(app) {
    app.stack(Platform);
  },
} satisfies SSTConfig;
