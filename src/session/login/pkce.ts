/** PKCE (RFC 7636) for one authorization request: the verifier, its S256 challenge and the `state` value. */
import { createHash, randomBytes } from 'node:crypto';

/** PKCE verifier and S256 challenge plus the `state` value of one authorization request. */
export interface Pkce {
  codeVerifier: string;
  codeChallenge: string;
  state: string;
}

/** base64url(sha256(verifier)): the S256 code challenge of RFC 7636. */
export function codeChallengeFor(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url');
}

/** A fresh verifier (43 characters of [A-Za-z0-9_-]), its challenge and an independent random state. */
export function createPkce(random: (size: number) => Buffer = randomBytes): Pkce {
  const codeVerifier = random(32).toString('base64url');
  return { codeVerifier, codeChallenge: codeChallengeFor(codeVerifier), state: random(32).toString('base64url') };
}
