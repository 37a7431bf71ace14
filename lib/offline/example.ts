/** The wire form of an {@link Example}: ids first, then the fields. */
export interface ExampleJSON {
  example_id: string;
  created_at: string;
  name: string | null;
  [field: string]: unknown;
}

/**
 * One dataset row of an experiment: a fresh id and creation time plus free-form fields
 * (e.g. `input`, `expected_output`, `offline_trace_id`).
 */
export class Example {
  /** UUID of this example. */
  readonly exampleId: string;
  /** ISO-8601 creation time. */
  readonly createdAt: string;
  /** Optional display name. */
  readonly name: string | null;
  private readonly fields: Record<string, unknown>;

  private constructor(fields: Record<string, unknown>, name: string | null) {
    this.exampleId = globalThis.crypto.randomUUID();
    this.createdAt = new Date().toISOString();
    this.name = name;
    this.fields = { ...fields };
  }

  /** A new example holding a copy of `fields`. */
  static create(fields: Record<string, unknown> = {}, name: string | null = null): Example {
    return new Example(fields, name);
  }

  /** The field `key`, or undefined. */
  get(key: string): unknown {
    return this.fields[key];
  }

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.fields, key);
  }

  /** A copy of the fields. */
  get properties(): Record<string, unknown> {
    return { ...this.fields };
  }

  toJSON(): ExampleJSON {
    return { example_id: this.exampleId, created_at: this.createdAt, name: this.name, ...this.fields };
  }
}
