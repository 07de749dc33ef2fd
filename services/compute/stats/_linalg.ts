// Small dense linear algebra for the statistics library: Householder QR least squares,
// Cholesky, symmetric Jacobi eigenvalues. Matrices are row-major Float64Arrays.

/** A dense row-major matrix. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Creates a zero matrix. */
export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** Builds a matrix from columns of equal length. */
export function fromColumns(columns: readonly Float64Array[], rows: number): Matrix {
  const m = zeros(rows, columns.length);
  columns.forEach((col, j) => {
    for (let i = 0; i < rows; i++) m.data[i * m.cols + j] = col[i]!;
  });
  return m;
}

/** Returns column j of a matrix. */
export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j]!;
  return out;
}

/** Returns a^T b. */
export function crossProduct(a: Matrix, b: Matrix): Matrix {
  const out = zeros(a.cols, b.cols);
  for (let i = 0; i < a.cols; i++) {
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let r = 0; r < a.rows; r++) s += a.data[r * a.cols + i]! * b.data[r * b.cols + j]!;
      out.data[i * out.cols + j] = s;
    }
  }
  return out;
}

/** Householder QR of an n x k matrix (n >= k), stored compactly. */
export interface QR {
  /** Householder vectors below the diagonal, R on and above it (row-major, n x k). */
  readonly qr: Float64Array;
  /** Diagonal of R. */
  readonly rdiag: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** Computes the Householder QR factorisation of a (not modified). */
export function householderQR(a: Matrix): QR {
  const { rows: n, cols: k } = a;
  const qr = Float64Array.from(a.data);
  const rdiag = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = j; i < n; i++) norm = Math.hypot(norm, qr[i * k + j]!);
    if (norm !== 0) {
      if (qr[j * k + j]! < 0) norm = -norm;
      for (let i = j; i < n; i++) qr[i * k + j] = qr[i * k + j]! / norm;
      qr[j * k + j] = qr[j * k + j]! + 1;
      for (let c = j + 1; c < k; c++) {
        let s = 0;
        for (let i = j; i < n; i++) s += qr[i * k + j]! * qr[i * k + c]!;
        s = -s / qr[j * k + j]!;
        for (let i = j; i < n; i++) qr[i * k + c] = qr[i * k + c]! + s * qr[i * k + j]!;
      }
    }
    rdiag[j] = -norm;
  }
  return { qr, rdiag, rows: n, cols: k };
}

/** Applies Q^T (from a QR factorisation) to a vector of length n, returning a copy. */
export function applyQt(f: QR, y: Float64Array): Float64Array {
  const { qr, rows: n, cols: k } = f;
  const out = Float64Array.from(y);
  for (let j = 0; j < k; j++) {
    const d = qr[j * k + j]!;
    if (d === 0) continue;
    let s = 0;
    for (let i = j; i < n; i++) s += qr[i * k + j]! * out[i]!;
    s = -s / d;
    for (let i = j; i < n; i++) out[i] = out[i]! + s * qr[i * k + j]!;
  }
  return out;
}

/** True when R has a (numerically) zero diagonal entry, i.e. the columns are collinear. */
export function isRankDeficient(f: QR): boolean {
  let max = 0;
  for (const d of f.rdiag) max = Math.max(max, Math.abs(d));
  const tol = max * Math.max(f.rows, f.cols) * Number.EPSILON;
  return max === 0 || f.rdiag.some((d) => Math.abs(d) <= tol);
}

/** Upper-triangular R (k x k) of a QR factorisation. */
export function upperR(f: QR): Matrix {
  const k = f.cols;
  const r = zeros(k, k);
  for (let i = 0; i < k; i++) {
    r.data[i * k + i] = f.rdiag[i]!;
    for (let j = i + 1; j < k; j++) r.data[i * k + j] = f.qr[i * k + j]!;
  }
  return r;
}

/** Solves R x = b for upper-triangular R. */
export function solveUpper(r: Matrix, b: Float64Array): Float64Array {
  const k = r.cols;
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let j = i + 1; j < k; j++) s -= r.data[i * k + j]! * x[j]!;
    x[i] = s / r.data[i * k + i]!;
  }
  return x;
}

/** Inverse of an upper-triangular matrix. */
export function invertUpper(r: Matrix): Matrix {
  const k = r.cols;
  const inv = zeros(k, k);
  for (let c = 0; c < k; c++) {
    const e = new Float64Array(k);
    e[c] = 1;
    const x = solveUpper(r, e);
    for (let i = 0; i < k; i++) inv.data[i * k + c] = x[i]!;
  }
  return inv;
}

/** Least-squares residuals of every column of y on the columns of x (x full column rank). */
export function residualize(y: Matrix, x: Matrix): Matrix {
  if (x.cols === 0) return y;
  const f = householderQR(x);
  const out = zeros(y.rows, y.cols);
  for (let j = 0; j < y.cols; j++) {
    const qty = applyQt(f, column(y, j));
    for (let i = 0; i < x.cols; i++) qty[i] = 0;
    // Residual = Q [0; (Q^T y)_{k..n}]: apply the reflectors in reverse order.
    for (let c = x.cols - 1; c >= 0; c--) {
      const d = f.qr[c * x.cols + c]!;
      if (d === 0) continue;
      let s = 0;
      for (let i = c; i < y.rows; i++) s += f.qr[i * x.cols + c]! * qty[i]!;
      s = -s / d;
      for (let i = c; i < y.rows; i++) qty[i] = qty[i]! + s * f.qr[i * x.cols + c]!;
    }
    for (let i = 0; i < y.rows; i++) out.data[i * y.cols + j] = qty[i]!;
  }
  return out;
}

/** Lower Cholesky factor L of a symmetric positive-definite matrix (a = L L^T). */
export function cholesky(a: Matrix): Matrix {
  const n = a.rows;
  const l = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a.data[i * n + j]!;
      for (let p = 0; p < j; p++) s -= l.data[i * n + p]! * l.data[j * n + p]!;
      if (i === j) {
        if (!(s > 0)) {
          throw new RangeError("Cannot factorise matrix as it is not positive definite");
        }
        l.data[i * n + i] = Math.sqrt(s);
      } else {
        l.data[i * n + j] = s / l.data[j * n + j]!;
      }
    }
  }
  return l;
}

/** Solves L X = B for lower-triangular L (B given as a matrix). */
export function solveLower(l: Matrix, b: Matrix): Matrix {
  const n = l.rows;
  const x = zeros(n, b.cols);
  for (let c = 0; c < b.cols; c++) {
    for (let i = 0; i < n; i++) {
      let s = b.data[i * b.cols + c]!;
      for (let p = 0; p < i; p++) s -= l.data[i * n + p]! * x.data[p * b.cols + c]!;
      x.data[i * b.cols + c] = s / l.data[i * n + i]!;
    }
  }
  return x;
}

/** Transpose. */
export function transpose(a: Matrix): Matrix {
  const t = zeros(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j]!;
  }
  return t;
}

/** Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations. */
export function symmetricEigen(a: Matrix): { values: Float64Array; vectors: Matrix } {
  const n = a.rows;
  const m = Float64Array.from(a.data);
  const v = zeros(n, n);
  for (let i = 0; i < n; i++) v.data[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j]! ** 2;
    if (off < 1e-300) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!;
          const mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!;
          const mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v.data[k * n + p]!;
          const vkq = v.data[k * n + q]!;
          v.data[k * n + p] = c * vkp - s * vkq;
          v.data[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = m[i * n + i]!;
  return { values, vectors: v };
}
