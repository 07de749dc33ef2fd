/**
 * The shape of one entry of the option audit (sdk/option_audit.ts): which options of a
 * nodejs-polars method the SDK honours and which it refuses, and why. The tables of the
 * frames, the expressions (option_audit_expr.ts) and the sinks (option_audit_sink.ts) are
 * all made of these.
 *
 * @module
 */

/** One method's options. */
export interface MethodOptions {
  /** Options run with nodejs-polars' meaning. */
  readonly honoured?: readonly string[];
  /** Options refused, each with why (said in the error). */
  readonly refused?: Readonly<Record<string, string>>;
  /**
   * Values of refused options that ask for nothing (nodejs-polars' own default): these pass,
   * any other value is refused. @default none
   */
  readonly inert?: Readonly<Record<string, unknown>>;
}
