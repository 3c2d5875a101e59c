declare const __WIXQ_VERSION__: string | undefined;

/** wixq's version, inlined by the build (tsup `define`); the dev fallback is only seen when running from source. */
export const VERSION: string = typeof __WIXQ_VERSION__ === 'string' ? __WIXQ_VERSION__ : '0.0.0-dev';

/**
 * The snapshot file format this wixq writes (`wixq snapshot`) and the newest the emulator serves (`"wixqSnapshot"`,
 * docs/reference.md 7.3): one number for both sides.
 */
export const SNAPSHOT_FORMAT_VERSION = 1;
