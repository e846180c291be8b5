import { alertRoutes } from './alerts';
import { configRoutes } from './config';
import { ruleRoutes } from './rules';
import { silenceRoutes } from './silences';

/** Rules, alerts, silences, receivers and routing (group `alerts`). */
export const alertingRoutes = { ...ruleRoutes, ...alertRoutes, ...silenceRoutes, ...configRoutes };
