import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An entry of package-lock.json's `packages`. */
export type LockEntry = { version?: string; dev?: boolean; license?: string; dependencies?: Record<string, string> };

/** package-lock.json's `packages` of the checkout at `root`. */
export function lockPackages(root: string): Record<string, LockEntry> {
  return (JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages;
}

/**
 * What npm installs beside wixq: the lockfile's entries not flagged dev (wixq's `dependencies` and theirs, by path:
 * `node_modules/a`, `node_modules/a/node_modules/b`), the root left out.
 */
export function runtimeLockEntries(root: string): Array<[string, LockEntry]> {
  return Object.entries(lockPackages(root)).filter(([path, entry]) => path !== '' && !entry.dev);
}
