// Module hooks for tests: append every module URL that gets loaded to the file named by WIXQ_TEST_MODULE_LOG.
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  if (process.env.WIXQ_TEST_MODULE_LOG) appendFileSync(process.env.WIXQ_TEST_MODULE_LOG, `${url}\n`);
  return nextLoad(url, context);
}
