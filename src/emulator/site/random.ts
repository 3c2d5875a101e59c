/** Small deterministic randomness for the generated site and the fail-rate: same seed, same bytes. */

/** A PRNG returning floats in [0, 1) (mulberry32). */
export type Random = () => number;

/** Mixes numbers into one 32-bit seed (so product i of seed s is the same whatever the catalog size). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193);
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

/** Hashes a string to 32 bits (FNV-1a), for seeds derived from ids. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: tiny, fast and good enough for fixtures. */
export function createRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max]. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One element of a non-empty list. */
export function pick<T>(random: Random, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(random: Random): string {
  const n = Math.floor(random() * 4294967296);
  return BYTE_HEX[n >>> 24]! + BYTE_HEX[(n >>> 16) & 0xff]! + BYTE_HEX[(n >>> 8) & 0xff]! + BYTE_HEX[n & 0xff]!;
}

/** A version-4-shaped GUID drawn from the PRNG. */
export function randomGuid(random: Random): string {
  const h = hex32(random) + hex32(random) + hex32(random) + hex32(random);
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  // join builds one flat string; a template literal would keep a tree of concatenations alive.
  return [h.slice(0, 8), '-', h.slice(8, 12), '-4', h.slice(13, 16), '-', variant, h.slice(17, 20), '-', h.slice(20, 32)].join('');
}

/** `n` hex characters drawn from the PRNG. */
export function randomHex(random: Random, n: number): string {
  const parts: string[] = [];
  for (let length = 0; length < n; length += 8) parts.push(hex32(random));
  return parts.join('').slice(0, n);
}
