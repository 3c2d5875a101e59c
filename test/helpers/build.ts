import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The project's root and its build (what `npm run build` writes; `npm test` builds first). */
export const ROOT = resolve(__dirname, '../..');
export const BUILT_CLI = resolve(ROOT, 'dist/cli.cjs');

/**
 * Fails the importing test file early, with the fix, when there is no build. Only the tests that run the built binary
 * or read dist/ call it, so `npx vitest run test/unit/…` works straight after `npm ci`.
 */
export function requireBuild(): void {
  if (!existsSync(BUILT_CLI)) {
    throw new Error(`This test runs the built wixq, and there is no build at ${BUILT_CLI}. Run: npm run build (npm test does this for you).`);
  }
}
