// The bundle's entry (dist/cli.js, which bin/wixq.cjs imports): everything is cli.ts's `run()`. `wixq --version` never
// reaches it: bin/wixq.cjs answers that before Node starts its ES module loader. Nothing is imported statically, so
// this chunk stays the one file the entry loads before cli.ts.

/** The process entry used by bin/wixq.cjs. */
export function run(): void {
  void import('./cli.js').then((cli) => cli.run());
}

/** For bin/wixq.cjs, which answers --version before loading the bundle: a failed write ends as cli.ts ends any. */
export function endAfterFailedWrite(error: Error): Promise<void> {
  return import('./cli.js').then((cli) => cli.endAfterFailedWrite(error));
}
