import { hideSdkNodeVersionNotice } from '../../packages/local/src/warnings';

hideSdkNodeVersionNotice();
