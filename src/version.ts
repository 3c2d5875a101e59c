declare const __WIXQ_VERSION__: string | undefined;

/** wixq's version, inlined by the build (tsup `define`); the dev fallback is only seen when running from source. */
export const VERSION: string = typeof __WIXQ_VERSION__ === 'string' ? __WIXQ_VERSION__ : '0.0.0-dev';
