import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Stateless, signed tokens: a compact HS256 JWS behind Wix's `OauthNG.JWS.` prefix.
 * The key comes from the site, so a restarted emulator with the same site accepts tokens of an earlier
 * instance (wixq --demo starts a fresh emulator on every run). Revocation and forced expiry are in-memory
 * cut-offs: "every token of this kind issued so far".
 */

export type TokenKind = 'access' | 'refresh' | 'session' | 'state';
export type TokenRole = 'visitor' | 'member';

/** What a token says about its bearer. */
export interface TokenClaims {
  kind: TokenKind;
  clientId: string;
  role: TokenRole;
  visitorId: string;
  memberId?: string;
  /** Issued at, ms since the epoch (emulator clock). */
  iat: number;
  /** Expiry, ms since the epoch; absent for refresh tokens. */
  exp?: number;
  /** Issuing instance and its issue counter, so cut-offs can say "issued so far" exactly. */
  iid: string;
  seq: number;
}

export type VerifyFailure = 'malformed' | 'bad-signature' | 'wrong-kind' | 'expired' | 'revoked';
/** A failed check still carries the claims when the signature was good (an expired or revoked token). */
export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: VerifyFailure; claims?: TokenClaims };

const PREFIX = 'OauthNG.JWS.';
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'wixq-emulator' })).toString('base64url');

interface Cutoff {
  seq: number;
  time: number;
}

/** Derives the signing key from something that identifies the site (seed and size, or the data file). */
export function deriveTokenKey(siteIdentity: string): Buffer {
  return createHmac('sha256', 'wixq-emulator-token-key/v1').update(siteIdentity).digest();
}

/** Issues and checks the emulator's tokens. */
export class TokenAuthority {
  private readonly instanceId = randomBytes(6).toString('base64url');
  private seq = 0;
  private readonly cutoffs = new Map<TokenKind, Cutoff>();

  constructor(
    private readonly key: Buffer,
    private readonly now: () => number,
  ) {}

  /** Signs new claims; `ttlMs` sets the expiry (none for refresh tokens). */
  issue(fields: Omit<TokenClaims, 'iat' | 'exp' | 'iid' | 'seq'>, ttlMs?: number): string {
    const iat = this.now();
    const claims: TokenClaims = { ...fields, iat, iid: this.instanceId, seq: ++this.seq };
    if (ttlMs !== undefined) claims.exp = iat + ttlMs;
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${PREFIX}${HEADER}.${payload}.${this.sign(`${HEADER}.${payload}`)}`;
  }

  /** Checks signature, kind, expiry and cut-offs. */
  verify(token: string, kind: TokenKind): VerifyResult {
    const claims = this.decode(token);
    if (!claims) return { ok: false, reason: claims === null ? 'bad-signature' : 'malformed' };
    if (claims.kind !== kind) return { ok: false, reason: 'wrong-kind' };
    if (this.isCutOff(claims)) return { ok: false, reason: 'revoked', claims };
    if (claims.exp !== undefined && this.now() >= claims.exp) return { ok: false, reason: 'expired', claims };
    return { ok: true, claims };
  }

  /** Every token of these kinds issued so far stops working (new ones are unaffected). */
  cutOff(...kinds: TokenKind[]): void {
    const cutoff = { seq: this.seq, time: this.now() };
    for (const kind of kinds) this.cutoffs.set(kind, cutoff);
  }

  /** A fresh visitor id. */
  newVisitorId(): string {
    return randomUUID();
  }

  private isCutOff(claims: TokenClaims): boolean {
    const cutoff = this.cutoffs.get(claims.kind);
    if (!cutoff) return false;
    // Tokens of an earlier instance were all issued before any cut-off made here.
    return claims.iid === this.instanceId ? claims.seq <= cutoff.seq : claims.iat <= cutoff.time;
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }

  /** The claims of a well-signed token; null for a bad signature, undefined when it is not a token at all. */
  private decode(token: string): TokenClaims | null | undefined {
    if (!token.startsWith(PREFIX)) return undefined;
    const parts = token.slice(PREFIX.length).split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
      if (typeof claims !== 'object' || claims === null || typeof claims.clientId !== 'string' || typeof claims.kind !== 'string') return undefined;
      return claims;
    } catch {
      return undefined;
    }
  }
}
