/** The work of `wixq emulator` (its flags parsed, the emulator started and held until a stop signal); the emulator itself is src/emulator. */
import { UsageError, WixqError } from '../../errors.js';
import type { IO } from '../../output/io.js';
import { CART_LINE_REFUSALS, loadSiteFile, MEMBERS_ONLY_READS, SiteDataError, startEmulator, VERSION_ENDPOINT_REFUSALS, type CartLineRefusals, type EmulatorOptions, type MembersOnlyRead, type VersionEndpointRefusal } from '../../emulator/index.js';

/** Flag values of `wixq emulator` as commander hands them over (strings; see program.ts). */
export interface EmulatorCommandOptions {
  host?: string;
  port?: string;
  data?: string;
  catalog?: string;
  seed?: string;
  products?: string;
  tokenTtl?: string;
  latency?: string;
  failRate?: string;
  rateLimit?: string;
  membersOnlyRead?: string;
  v1ReaderShim?: boolean;
  refuseVersionEndpoint?: string;
  cartLineRefusals?: string;
  /** commander's `--no-payments`: false when given. */
  payments?: boolean;
  quiet?: boolean;
}

function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return n;
}

function decimal(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be a number from ${min} to ${max} (got "${value}")`);
  }
  return n;
}

function versionRefusal(value: string): VersionEndpointRefusal {
  const n = Number(value);
  if (!(VERSION_ENDPOINT_REFUSALS as readonly number[]).includes(n)) throw new UsageError(`--refuse-version-endpoint must be ${VERSION_ENDPOINT_REFUSALS.join(' or ')} (got "${value}")`);
  return n as VersionEndpointRefusal;
}

/** Turns the string flags into emulator options; every bad value is a UsageError with one line. */
export function parseEmulatorFlags(opts: EmulatorCommandOptions): EmulatorOptions & { quiet: boolean } {
  const host = opts.host ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host must not be empty');
  if (opts.catalog !== undefined && opts.catalog !== 'v1' && opts.catalog !== 'v3') throw new UsageError(`--catalog must be v1 or v3 (got "${opts.catalog}")`);
  if (opts.membersOnlyRead !== undefined && !(MEMBERS_ONLY_READS as readonly string[]).includes(opts.membersOnlyRead)) {
    throw new UsageError(`--members-only-read must be ${MEMBERS_ONLY_READS.join(' or ')} (got "${opts.membersOnlyRead}")`);
  }
  if (opts.cartLineRefusals !== undefined && !(CART_LINE_REFUSALS as readonly string[]).includes(opts.cartLineRefusals)) {
    throw new UsageError(`--cart-line-refusals must be ${CART_LINE_REFUSALS.join(' or ')} (got "${opts.cartLineRefusals}")`);
  }
  if (opts.data !== undefined && opts.products !== undefined) throw new UsageError('--products applies to the generated demo site; it cannot be combined with --data');
  const options: EmulatorOptions & { quiet: boolean } = {
    host,
    port: integer('--port', opts.port, 0, 65_535) ?? 8787,
    seed: integer('--seed', opts.seed, 0, 2 ** 31 - 1),
    products: integer('--products', opts.products, 0, 1_000_000),
    tokenTtl: integer('--token-ttl', opts.tokenTtl, 1, 10 * 365 * 86_400),
    latencyMs: decimal('--latency', opts.latency, 0, 600_000),
    failRate: decimal('--fail-rate', opts.failRate, 0, 1),
    rateLimit: integer('--rate-limit', opts.rateLimit, 0, 1_000_000),
    ...(opts.catalog && { catalog: opts.catalog as 'v1' | 'v3' }),
    ...(opts.membersOnlyRead !== undefined && { membersOnlyRead: opts.membersOnlyRead as MembersOnlyRead }),
    ...(opts.v1ReaderShim && { v1ReaderShim: true }),
    ...(opts.refuseVersionEndpoint !== undefined && { refuseVersionEndpoint: versionRefusal(opts.refuseVersionEndpoint) }),
    ...(opts.cartLineRefusals !== undefined && { cartLineRefusals: opts.cartLineRefusals as CartLineRefusals }),
    ...(opts.payments === false && { acceptsPayments: false }),
    quiet: Boolean(opts.quiet),
  };
  if (opts.data !== undefined) {
    try {
      options.data = loadSiteFile(opts.data);
    } catch (error) {
      if (error instanceof SiteDataError) throw new UsageError(error.message);
      throw error;
    }
    // A snapshot holds the wire objects of the catalog it was taken from; the other catalog's could not be derived.
    if (options.data.snapshot && options.catalog) throw new UsageError(`--catalog does not apply to a snapshot: ${opts.data} serves the catalog it was taken from (${options.data.catalogVersion})`);
  }
  return options;
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `wixq emulator`: serves the Wix wire protocol until SIGINT/SIGTERM, then closes cleanly. */
export async function runEmulatorCommand(rawOptions: Record<string, unknown>, io: IO): Promise<void> {
  const { quiet, ...options } = parseEmulatorFlags(rawOptions as EmulatorCommandOptions);
  const stopped = untilStopSignal();
  let emulator;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new WixqError(`port ${options.port} on ${options.host} is already in use`, undefined, { hint: 'Pick another with --port, or --port 0 for a free one.' });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on host ${options.host}`);
    throw error;
  }
  io.out.write(`Wix API emulator listening on ${emulator.url}\n`);
  if (!quiet) {
    const member = emulator.members.find((m) => m.status === 'ACTIVE' && !m.captchaRequired);
    io.out.write(`Client ID: ${emulator.clientId}\n`);
    io.out.write(member ? `Member login: ${member.email} / ${member.password}\n` : 'Member login: (the site has no active member)\n');
    io.out.write(`Catalog: ${emulator.site.catalogVersion}, ${emulator.site.productsV3?.length ?? emulator.site.products.length} products, ${emulator.site.services.length} services, ${emulator.site.dataCollections?.length ?? 0} CMS collections\n`);
    io.out.write(`Try: WIXQ_API_URL=${emulator.url} wixq products list --client-id ${emulator.clientId}\n`);
  }
  await stopped;
  await emulator.close();
}
