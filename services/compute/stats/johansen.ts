/**
 * Johansen cointegration rank tests (trace and maximum eigenvalue), computed as statsmodels'
 * `coint_johansen(endog, det_order, k_ar_diff)` (statsmodels/tsa/vector_ar/vecm.py).
 *
 * The generalized symmetric eigenproblem S_k0 S_00^-1 S_0k v = lambda S_kk v is solved by
 * Cholesky reduction (S_kk = L L^T) and cyclic Jacobi rotations on L^-1 S_k0 S_00^-1 S_0k L^-T.
 *
 * @module
 */
import { JOHANSEN_MAX_EIG_CRIT, JOHANSEN_TRACE_CRIT } from "./_johansen_tables.ts";
import {
  cholesky,
  crossProduct,
  type Matrix,
  residualize,
  solveLower,
  symmetricEigen,
  transpose,
  zeros,
} from "./_linalg.ts";
import { requireFinite, requireInteger, requireLength, requireNonConstant } from "./_validate.ts";

/** Deterministic terms: -1 none, 0 constant, 1 constant and linear trend. */
export type DetOrder = -1 | 0 | 1;

/** Critical values at the 90%, 95% and 99% levels. */
export interface JohansenCriticalValues {
  readonly "90%": number;
  readonly "95%": number;
  readonly "99%": number;
}

/** Result of {@linkcode johansen}; entry r of each array tests rank <= r. */
export interface JohansenResult {
  /** Eigenvalues in decreasing order. */
  readonly eigenvalues: Float64Array;
  /**
   * Eigenvectors (column j for eigenvalue j, as k arrays of rows), normalised to
   * v' S_kk v = 1 with the first non-zero entry of each column positive.
   */
  readonly eigenvectors: Float64Array[];
  /** Trace statistics -T sum_{j >= r} log(1 - lambda_j). */
  readonly trace: Float64Array;
  /** Maximum-eigenvalue statistics -T log(1 - lambda_r). */
  readonly maxEig: Float64Array;
  /** Critical values of the trace statistics (MacKinnon-Haug-Michelis tables). */
  readonly traceCriticalValues: JohansenCriticalValues[];
  /** Critical values of the maximum-eigenvalue statistics. */
  readonly maxEigCriticalValues: JohansenCriticalValues[];
  /** Observations T in the reduced-rank regression. */
  readonly nobs: number;
}

/** Residuals of each column on a polynomial time trend of the given order (none for -1). */
function detrend(y: Matrix, order: number): Matrix {
  if (order < 0 || y.cols === 0) return y;
  const n = y.rows;
  const x = zeros(n, order + 1);
  for (let i = 0; i < n; i++) {
    const s = n === 1 ? -1 : -1 + (2 * i) / (n - 1);
    for (let p = 0; p <= order; p++) x.data[i * x.cols + p] = s ** p;
  }
  return residualize(y, x);
}

function scaled(m: Matrix, factor: number): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.map((v) => v * factor) };
}

/**
 * Johansen tests for the cointegration rank of the series in endog.
 *
 * @param endog The series (2 to 12, equal lengths).
 * @param options `detOrder` (@default 0) and `kArDiff`, lagged differences in the VECM
 * (@default 1).
 * @throws {RangeError} on mismatched lengths, non-finite, constant or collinear input, or a
 * sample too short for the lags.
 */
export function johansen(
  endog: readonly Float64Array[],
  options: { readonly detOrder?: DetOrder; readonly kArDiff?: number } = {},
): JohansenResult {
  const detOrder = options.detOrder ?? 0;
  const kAr = options.kArDiff ?? 1;
  requireInteger("johansen", "detOrder", detOrder, -1, 1);
  requireInteger("johansen", "kArDiff", kAr, 0);
  const neqs = endog.length;
  if (neqs < 1 || neqs > 12) {
    throw new RangeError(
      `Cannot run johansen as 'endog' must hold 1 to 12 series: current value holds ${neqs}`,
    );
  }
  const n = endog[0]!.length;
  endog.forEach((s, j) => {
    requireFinite("johansen", `endog[${j}]`, s);
    requireLength("johansen", `endog[${j}]`, s, (kAr + 1) * neqs + kAr + 3);
    if (s.length !== n) {
      throw new RangeError(
        `Cannot run johansen as 'endog[${j}]' must hold as many values as 'endog[0]' (${n}): current value holds ${s.length}`,
      );
    }
    requireNonConstant("johansen", `endog[${j}]`, s);
  });
  const f = detOrder > -1 ? 0 : -1;
  const levels = zeros(n, neqs);
  endog.forEach((s, j) => s.forEach((v, i) => (levels.data[i * neqs + j] = v)));
  const y = detrend(levels, detOrder);
  const at = (i: number, j: number): number => y.data[i * neqs + j]!;
  const t = n - 1 - kAr;
  const dx = zeros(t, neqs);
  const lx = zeros(t, neqs);
  const z = zeros(t, kAr * neqs);
  for (let r = 0; r < t; r++) {
    const d = r + kAr; // row of the differenced series, Δy_d = y[d + 1] - y[d]
    for (let j = 0; j < neqs; j++) {
      dx.data[r * neqs + j] = at(d + 1, j) - at(d, j);
      lx.data[r * neqs + j] = at(r + 1, j);
      for (let l = 1; l <= kAr; l++) {
        z.data[r * z.cols + (l - 1) * neqs + j] = at(d - l + 1, j) - at(d - l, j);
      }
    }
  }
  const zd = detrend(z, f);
  const r0t = residualize(detrend(dx, f), zd);
  const rkt = residualize(detrend(lx, f), zd);
  const skk = scaled(crossProduct(rkt, rkt), 1 / t);
  const sk0 = scaled(crossProduct(rkt, r0t), 1 / t);
  const s00 = scaled(crossProduct(r0t, r0t), 1 / t);
  let lkk: Matrix;
  let l00: Matrix;
  try {
    lkk = cholesky(skk);
    l00 = cholesky(s00);
  } catch {
    throw new RangeError(
      "Cannot run johansen as 'endog' must not be collinear: current value gives a singular moment matrix",
    );
  }
  // sig = M M^T with M = S_k0 L00^-T; C = (Lkk^-1 M)(Lkk^-1 M)^T.
  const m = transpose(solveLower(l00, transpose(sk0)));
  const a = solveLower(lkk, m);
  const { values, vectors } = symmetricEigen(crossProduct(transpose(a), transpose(a)));
  const order = Array.from(values.keys()).sort((p, q) => values[q]! - values[p]!);
  const eigenvalues = Float64Array.from(order, (i) => values[i]!);
  // v = Lkk^-T w.
  const back = solveUpperFromLower(lkk, vectors);
  const eigenvectors = order.map((src) => {
    const col = Float64Array.from({ length: neqs }, (_, i) => back.data[i * neqs + src]!);
    const first = col.find((x) => x !== 0) ?? 1;
    return first < 0 ? col.map((x) => -x) : col;
  });
  const trace = new Float64Array(neqs);
  const maxEig = new Float64Array(neqs);
  const crit = (row: readonly number[] | undefined): JohansenCriticalValues => ({
    "90%": row?.[0] ?? NaN,
    "95%": row?.[1] ?? NaN,
    "99%": row?.[2] ?? NaN,
  });
  const key = String(detOrder) as "-1" | "0" | "1";
  const traceCriticalValues: JohansenCriticalValues[] = [];
  const maxEigCriticalValues: JohansenCriticalValues[] = [];
  for (let i = 0; i < neqs; i++) {
    let s = 0;
    for (let j = i; j < neqs; j++) s += Math.log(1 - eigenvalues[j]!);
    trace[i] = -t * s;
    maxEig[i] = -t * Math.log(1 - eigenvalues[i]!);
    traceCriticalValues.push(crit(JOHANSEN_TRACE_CRIT[key][neqs - i - 1]));
    maxEigCriticalValues.push(crit(JOHANSEN_MAX_EIG_CRIT[key][neqs - i - 1]));
  }
  return {
    eigenvalues,
    eigenvectors,
    trace,
    maxEig,
    traceCriticalValues,
    maxEigCriticalValues,
    nobs: t,
  };
}

/** Solves L^T X = B for lower-triangular L. */
function solveUpperFromLower(l: Matrix, b: Matrix): Matrix {
  const n = l.rows;
  const x = zeros(n, b.cols);
  for (let c = 0; c < b.cols; c++) {
    for (let i = n - 1; i >= 0; i--) {
      let s = b.data[i * b.cols + c]!;
      for (let p = i + 1; p < n; p++) s -= l.data[p * n + i]! * x.data[p * b.cols + c]!;
      x.data[i * b.cols + c] = s / l.data[i * n + i]!;
    }
  }
  return x;
}
