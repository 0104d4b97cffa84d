/**
 * Key order, the one comparator: ascending UTF-8 byte order, the order both contracts promise
 * for listings (and ESA ListKvs and S3-family ListObjects return). Adapters, emulators and the
 * conformance suite all sort and compare keys with it.
 */

/**
 * Compares two strings by their UTF-8 bytes without encoding them. UTF-8 byte order equals
 * code point order; UTF-16 code unit order (JavaScript's `<`) differs only where a surrogate
 * (U+D800–U+DFFF, i.e. a code point above U+FFFF) meets a code unit in U+E000–U+FFFF, so
 * those two ranges are swapped before comparing.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) return codePointRank(x) - codePointRank(y);
    return x - y;
  }
  return a.length - b.length;
}

/** Moves surrogates above U+E000–U+FFFF, so they sort as the supplementary code points they encode. */
function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
