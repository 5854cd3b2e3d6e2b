/**
 * What the protobuf and JSON decoders share: the element budget (every element is counted
 * before it is allocated, so a hostile body cannot make the decoder allocate past
 * `maxElements`), the empty AnyValue, and building the model's readonly objects.
 */
import type { AnyValue } from './model.js';
import { tooManyElements } from './otlp-errors.js';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export const EMPTY_VALUE: AnyValue = Object.freeze({ kind: 'empty' });

export interface OtlpDecodeLimits {
  /**
   * Resources, scopes, metrics, data points, attributes (key-values, kvlist entries included),
   * array values, exemplars, bucket counts, explicit bounds and quantiles, in total.
   */
  readonly maxElements: number;
}

export class Budget {
  private left: number;
  readonly max: number;
  constructor(max: number) {
    this.max = max;
    this.left = max;
  }

  /** Counts one element; `at` names where (a byte offset or a JSON path) for the message. */
  spend(at: number | string): void {
    if (--this.left < 0) throw tooManyElements(this.max, typeof at === 'number' ? `byte ${at}` : at);
  }

  /** spend(`${path}[${i}]`), the path built only for the message (this runs per attribute). */
  spendItem(path: string, i: number): void {
    if (--this.left < 0) throw tooManyElements(this.max, `${path}[${i}]`);
  }
}
