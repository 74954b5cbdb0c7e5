// Fresh Float32Arrays without a fresh allocation each: views carved from a shared slab. V8 gives
// a typed array over 64 bytes its own off-heap backing store (~0.8 µs each); a view into an
// existing ArrayBuffer costs ~0.07 µs. Envs that return a new observation every step use this.

/** Bytes per slab: small, so an observation kept alive pins at most this much memory. */
const SLAB_BYTES = 16 * 1024;

export class Float32Slab {
  private buffer: ArrayBuffer;
  private offset: number;

  /** For arrays of up to `maxLength` floats (bigger ones get their own allocation). */
  constructor(private readonly maxLength: number) {
    this.buffer = new ArrayBuffer(0);
    this.offset = 0;
  }

  /** A zero-filled Float32Array of `length` that no other caller sees. */
  take(length: number): Float32Array {
    const bytes = length * 4;
    if (length > this.maxLength || bytes > SLAB_BYTES) return new Float32Array(length);
    if (this.offset + bytes > this.buffer.byteLength) {
      this.buffer = new ArrayBuffer(SLAB_BYTES); // the old slab lives on while its views do
      this.offset = 0;
    }
    const view = new Float32Array(this.buffer, this.offset, length);
    this.offset += bytes;
    return view;
  }
}
