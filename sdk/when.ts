/**
 * `when(cond).then(value).when(...).then(...).otherwise(value)`, as in nodejs-polars.
 * Conditions are Exprs (or column names); values are Exprs or plain values (wrapped in
 * `lit()`).
 *
 * @module
 */

import type { Expr as ProtoExpr, WhenThen_Branch } from "../shared/gen/polaroid/v1/expr.ts";
import { Expr, type ExprOrValue, toExpr } from "./expr/expr.ts";
import { singleProto } from "./functions.ts";

function whenThen(branches: readonly WhenThen_Branch[], otherwise?: ProtoExpr): ProtoExpr {
  return {
    kind: { $case: "when", value: { branches: [...branches], otherwise } },
  };
}

/** A condition waiting for its value. */
export class When {
  readonly #branches: readonly WhenThen_Branch[];
  readonly #condition: ProtoExpr;

  constructor(branches: readonly WhenThen_Branch[], condition: ProtoExpr) {
    this.#branches = branches;
    this.#condition = condition;
  }

  /** The value where the condition holds. */
  then(value: ExprOrValue): Then {
    const branch = { when: this.#condition, then: toExpr(value).toProto() };
    return new Then([...this.#branches, branch]);
  }
}

/**
 * One or more branches. Usable as an Expr on its own (rows matching no branch are null), or
 * continued with `when()` or closed with `otherwise()`.
 */
export class Then extends Expr {
  readonly #branches: readonly WhenThen_Branch[];

  constructor(branches: readonly WhenThen_Branch[]) {
    super(whenThen(branches));
    this.#branches = branches;
  }

  /** Starts another branch, tried when the earlier ones do not hold. */
  when(condition: Expr | string): When {
    return new When(this.#branches, singleProto(condition));
  }

  /** The value where no branch holds. */
  otherwise(value: ExprOrValue): Expr {
    return new Expr(whenThen(this.#branches, toExpr(value).toProto()));
  }
}

/** Starts a conditional expression: `when(col("a").gt(0)).then("pos").otherwise("neg")`. */
export function when(condition: Expr | string): When {
  return new When([], singleProto(condition));
}
