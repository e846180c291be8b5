/**
 * Byte-aligned writers and readers for the metric codecs: unsigned and zigzag varints (exact up
 * to 2^53) and raw float64s whose bits (NaN payloads, -0) are kept as they are.
 */
/**
 * High word of Prometheus's staleness marker 0x7ff0000000000002. V8 sets the quiet bit of a
 * signalling NaN held in a number array, so the marker may reach a codec as 0x7ff8000000000002:
 * codecs store it as Prometheus's exact bits either way.
 */
export const STALE_HIGH = 0x7ff00000;
const STALE_LOW = 2;
const QUIET_BIT = 0x00080000;
export const isStaleBits = (high: number, low: number) =>
  (high & ~QUIET_BIT) === STALE_HIGH && low === STALE_LOW;

export class ByteWriter {
  private bytes: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(capacity = 256) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  private ensure(more: number): void {
    if (this.length + more <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + more));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }

  u8(b: number): void {
    this.ensure(1);
    this.bytes[this.length++] = b;
  }

  /** A non-negative integer below 2^53, 7 bits a byte. */
  uvarint(n: number): void {
    this.ensure(8);
    while (n >= 0x80) {
      this.bytes[this.length++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.bytes[this.length++] = n;
  }

  /** A signed integer of magnitude below 2^52, zigzag-mapped so small magnitudes are short. */
  varint(n: number): void {
    this.uvarint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  /** A float64 bit for bit; the staleness marker always as Prometheus writes it (see `STALE_HIGH`). */
  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, v);
    if (
      Number.isNaN(v) &&
      isStaleBits(this.view.getUint32(this.length), this.view.getUint32(this.length + 4))
    )
      this.view.setUint32(this.length, STALE_HIGH);
    this.length += 8;
  }

  /** Prometheus's staleness marker, its exact bits whatever number stands for it in memory. */
  stale(): void {
    this.ensure(8);
    this.view.setUint32(this.length, STALE_HIGH);
    this.view.setUint32(this.length + 4, STALE_LOW);
    this.length += 8;
  }

  append(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

export class ByteReader {
  pos = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  u8(): number {
    if (this.pos >= this.bytes.length) throw new RangeError('metric codec: read past the end');
    return this.bytes[this.pos++];
  }

  uvarint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  }

  varint(): number {
    const z = this.uvarint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** Whether the next float64 is the staleness marker, by its stored bits. */
  staleNext(): boolean {
    if (this.pos + 8 > this.bytes.length) return false;
    return isStaleBits(this.view.getUint32(this.pos), this.view.getUint32(this.pos + 4));
  }

  f64(): number {
    if (this.pos + 8 > this.bytes.length) throw new RangeError('metric codec: read past the end');
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  take(n: number): Uint8Array {
    if (this.pos + n > this.bytes.length) throw new RangeError('metric codec: read past the end');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/** Bytes a zigzag varint of `n` takes (for choosing between encodings without writing them). */
export function varintSize(n: number): number {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  let size = 1;
  while (z >= 0x80) {
    z = Math.floor(z / 0x80);
    size++;
  }
  return size;
}
