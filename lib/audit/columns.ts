/**
 * Compact storage for the audit's history: growable typed-array columns and string interning, so that a
 * million anchors cost tens of bytes each instead of an object with many string fields apiece (1.x held
 * ~8 KB an event). A row is an index; a string (a root, a key, a transaction hash) is stored once and
 * referred to by its index in an `Interner`.
 */

type TypedArray = Uint8Array | Uint32Array | Int32Array | Float64Array;
type TypedArrayConstructor<T extends TypedArray> = { new (length: number): T };

/** One column of numbers that grows as rows are added (doubling, so appends are amortised O(1)). */
export class Column<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(
    private readonly kind: TypedArrayConstructor<T>,
    initialCapacity = 1024,
  ) {
    this.data = new kind(initialCapacity);
  }

  push(value: number): number {
    if (this.length === this.data.length) {
      const grown = new this.kind(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = value;
    return this.length++;
  }

  get(row: number): number {
    return this.data[row];
  }

  set(row: number, value: number): void {
    this.data[row] = value;
  }

  /** Bytes held (capacity, not length): what the column costs. */
  get bytes(): number {
    return this.data.byteLength;
  }
}

/** Strings stored once each, referred to by a small integer. */
export class Interner {
  private readonly indexOf = new Map<string, number>();
  readonly values: string[] = [];

  /** The index of `value`, adding it when new. */
  intern(value: string): number {
    let index = this.indexOf.get(value);
    if (index === undefined) {
      index = this.values.length;
      this.indexOf.set(value, index);
      this.values.push(value);
    }
    return index;
  }

  find(value: string): number | undefined {
    return this.indexOf.get(value);
  }

  get size(): number {
    return this.values.length;
  }
}
