import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** End-to-end tests run the built binary: fail early, with the fix, if there is no build. */
export default function setup(): void {
  const cli = resolve(__dirname, '../../dist/cli.js');
  if (!existsSync(cli)) {
    throw new Error(`No build at ${cli}. Run: npm run build (npm test does this for you).`);
  }
}
