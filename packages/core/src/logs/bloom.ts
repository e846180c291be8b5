import { hash53 } from '../metrics/series';

/**
 * A Bloom filter over the trigrams of a chunk's text and its field values, so a search skips
 * chunks that cannot contain a substring: every trigram of the searched text must be present.
 */
export class TrigramBloom {
  readonly bits: Uint8Array;
  readonly hashes: number;

  constructor(bits: Uint8Array, hashes = 4) {
    this.bits = bits;
    this.hashes = hashes;
  }

  /** A filter sized for `items` entries at about 2 % false positives. */
  static forItems(items: number): TrigramBloom {
    const m = Math.max(1024, Math.ceil(items * 8.5));
    return new TrigramBloom(new Uint8Array(Math.ceil(m / 8)));
  }

  private positions(token: string): number[] {
    const h = hash53(token);
    const a = Number.parseInt(h.slice(0, 6), 36);
    const b = Number.parseInt(h.slice(6), 36) | 1;
    const m = this.bits.length * 8;
    return Array.from({ length: this.hashes }, (_, i) => (a + i * b) % m);
  }

  add(token: string): void {
    for (const p of this.positions(token)) this.bits[p >> 3] |= 1 << (p & 7);
  }

  has(token: string): boolean {
    return this.positions(token).every((p) => (this.bits[p >> 3] & (1 << (p & 7))) !== 0);
  }
}

/** Distinct lower-case trigrams of a text. */
export function trigrams(text: string): Set<string> {
  const lower = text.toLowerCase();
  const out = new Set<string>();
  for (let i = 0; i + 3 <= lower.length; i++) out.add(lower.slice(i, i + 3));
  return out;
}

/** Whether a chunk with this filter may contain `text` (false means certainly not). */
export function mayContain(bloom: TrigramBloom, text: string): boolean {
  for (const t of trigrams(text)) if (!bloom.has(t)) return false;
  return true;
}
