/** Types of sdk-runtime-plugin.mjs (the bundle's replacement of the SDK's response key renaming). */
import type { Plugin } from 'esbuild';

export const KNOWN_RENAME_FILE: string;
export const KNOWN_FIELD_RENAME_FILE: string;
export function sdkRuntimePlugin(root: string): Plugin;
