/**
 * An integer with commas between groups of three digits, as `n.toLocaleString('en-US')` writes it (`9,756`), without
 * loading ICU's number formatting: the first `toLocaleString` of a run costs about 20 ms, a fifth of a warm list's own
 * work. Anything but a safe integer is left to `toLocaleString`.
 */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${digits}` : digits;
}
