// The bundle's entry (dist/cli.cjs, which bin/wixq.cjs requires): everything is cli.ts's `run()`. `wixq --version` never
// reaches it: bin/wixq.cjs answers that before it reads any chunk. Nothing is imported statically, so
// this chunk stays the one file the entry loads before cli.ts.

/** The process entry used by bin/wixq.cjs. */
export function run(): void {
  void import('./cli.js').then((cli) => cli.run());
}

/** For bin/wixq.cjs, which answers --version before loading the bundle: a failed write ends as cli.ts ends any. */
export function endAfterFailedWrite(error: Error): Promise<void> {
  return import('./cli.js').then((cli) => cli.endAfterFailedWrite(error));
}
