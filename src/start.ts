// The process entry (dist/cli.js, which bin/wixq.cjs runs): `wixq --version`, the most frequent probe of a CLI, is
// answered here with no other module of wixq loaded (each is a file to read and link: this one alone keeps --version
// within 15 ms of `node -e 0`); anything else is cli.ts's `run()`. Nothing is imported statically: the version is
// inlined by the build, as in version.ts.
declare const __WIXQ_VERSION__: string | undefined;

/** The process entry used by bin/wixq.cjs. */
export function run(): void {
  const argv = process.argv.slice(2);
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    const version = typeof __WIXQ_VERSION__ === 'string' ? __WIXQ_VERSION__ : '0.0.0-dev';
    // A failed write is reported as cli.ts reports any failed output (the reader gone: exit 0; a full disk: exit 1).
    process.stdout.on('error', () => {});
    process.stdout.write(`${version}\n`, (error) => {
      if (error) void import('./cli.js').then((cli) => cli.endAfterFailedWrite(error));
    });
    return;
  }
  void import('./cli.js').then((cli) => cli.run());
}

/** For bin/wixq.cjs, which answers --version before loading the bundle: a failed write ends as cli.ts ends any. */
export function endAfterFailedWrite(error: Error): Promise<void> {
  return import('./cli.js').then((cli) => cli.endAfterFailedWrite(error));
}
