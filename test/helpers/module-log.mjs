// Preloaded with `node --import`: registers module-log-hooks.mjs so a test can see which modules a run loaded.
import { register } from 'node:module';

register('./module-log-hooks.mjs', import.meta.url);
