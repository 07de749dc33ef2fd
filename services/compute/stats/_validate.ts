// Input validation shared by the statistics functions. Messages follow the house shape
// "Cannot <op> as '<arg>' must be <rule>: current value ...".

/** Throws TypeError unless x is a Float64Array of finite numbers. */
export function requireFinite(op: string, name: string, x: Float64Array): void {
  if (!(x instanceof Float64Array)) {
    throw new TypeError(
      `Cannot run ${op} as '${name}' must be a Float64Array: current value is ${
        Object.prototype.toString.call(x)
      }`,
    );
  }
  const bad = x.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new RangeError(
      `Cannot run ${op} as '${name}' must hold only finite values: current value holds ${
        x[bad]
      } at index ${bad}`,
    );
  }
}

/** Throws RangeError unless x holds at least min values. */
export function requireLength(op: string, name: string, x: Float64Array, min: number): void {
  if (x.length < min) {
    throw new RangeError(
      `Cannot run ${op} as '${name}' must hold at least ${min} finite values: current value holds ${x.length}`,
    );
  }
}

/** Throws RangeError when every value of x is equal. */
export function requireNonConstant(op: string, name: string, x: Float64Array): void {
  if (x.every((v) => v === x[0])) {
    throw new RangeError(
      `Cannot run ${op} as '${name}' must not be constant: current value is constant at ${x[0]}`,
    );
  }
}

/** Validates a finite, non-constant series of at least min values. */
export function requireSeries(op: string, name: string, x: Float64Array, min: number): void {
  requireFinite(op, name, x);
  requireLength(op, name, x, min);
  requireNonConstant(op, name, x);
}

/** Throws RangeError unless value is an integer within [min, max]. */
export function requireInteger(
  op: string,
  name: string,
  value: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const rule = max === Number.MAX_SAFE_INTEGER
      ? `an integer >= ${min}`
      : `an integer in [${min}, ${max}]`;
    throw new RangeError(
      `Cannot run ${op} as '${name}' must be ${rule}: current value is ${value}`,
    );
  }
}

/** Throws RangeError unless value is one of the allowed strings. */
export function requireOneOf<T extends string>(
  op: string,
  name: string,
  value: string,
  allowed: readonly T[],
): asserts value is T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new RangeError(
      `Cannot run ${op} as '${name}' must be one of ${
        allowed.map((a) => `"${a}"`).join(", ")
      }: current value is "${value}"`,
    );
  }
}
