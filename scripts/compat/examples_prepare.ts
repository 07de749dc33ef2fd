/**
 * From an example's code to a function both engines can run, and the rule that says which
 * examples are lazy queries.
 *
 * The rule, on the example's syntax tree:
 * - **not runnable**: no code, or code that does not parse (console fragments, pseudo-code);
 * - **not lazy**: code that builds no DataFrame (a Series or an expression alone), or calls
 *   no LazyDataFrame or LazyGroupBy method (nor `.lazy()`) on a frame: printing a frame, or
 *   eager DataFrame methods only;
 * - **lazy** otherwise. An eager `df.select(...)` counts: nodejs-polars runs it as
 *   `df.lazy().select(...).collectSync()`, and the SDK's uploaded frame has the same method.
 *
 * The translation, the same for both engines:
 * - every `pl.DataFrame(...)` (or `DataFrame(...)`) becomes `__frame((scope) => ...)`: the
 *   data is always built by nodejs-polars, in-process; the runner decides what the call
 *   returns (the frame itself, or its upload);
 * - each top-level statement's value goes to `__out(...)`: those are the example's results;
 * - top-level `const`/`let` and undeclared assignments become assignments to variables
 *   declared once, as in the console session the example transcribes;
 * - `.collectSync()` becomes `.collect()`, awaited by the runner (a remote call cannot block;
 *   the member table says so once).
 *
 * @module
 */

import ts from "typescript";

/** A lazy example, ready to run. */
export interface LazyExample {
  kind: "lazy";
  /** Body of an async function taking the scope names, then `__frame` and `__out`. */
  body: string;
  /** The source of each statement whose value goes to `__out`, in order (first line). */
  statements: string[];
  /** Calls a method whose row order Polars leaves undefined (groupBy, unique, join). */
  unordered: boolean;
  /** Calls a random method (sample, shuffle) without a seed. */
  unseeded: boolean;
}

/** An example that is not run, and why. */
export interface SkippedExample {
  kind: "not lazy" | "not runnable";
  reason: string;
}

/** Text as a Markdown code span (doubled backticks when it holds one). */
export function codeSpan(text: string): string {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** Methods whose row order Polars leaves undefined unless asked. */
const UNORDERED = new Set(["groupBy", "unique", "join"]);
/** Methods whose result depends on a random seed. */
const RANDOM = new Set(["sample", "shuffle"]);

function isFrameCall(node: ts.Node): node is ts.CallExpression | ts.NewExpression {
  if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return false;
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return callee.text === "DataFrame";
  return ts.isPropertyAccessExpression(callee) && callee.name.text === "DataFrame" &&
    ts.isIdentifier(callee.expression) && callee.expression.text === "pl";
}

/** The value a method chain starts from: a frame call, or an identifier. */
function chainRoot(node: ts.Expression): ts.Node {
  let at: ts.Node = node;
  for (;;) {
    if (isFrameCall(at)) return at;
    if (
      ts.isPropertyAccessExpression(at) || ts.isElementAccessExpression(at) ||
      ts.isCallExpression(at) || ts.isNonNullExpression(at) || ts.isParenthesizedExpression(at)
    ) {
      at = at.expression;
    } else {
      return at;
    }
  }
}

interface Facts {
  frames: number;
  lazyCalls: number;
  unordered: boolean;
  random: boolean;
  seeded: boolean;
}

function analyse(source: ts.SourceFile, lazyMethods: ReadonlySet<string>, scope: Set<string>) {
  const facts: Facts = { frames: 0, lazyCalls: 0, unordered: false, random: false, seeded: false };
  const visit = (node: ts.Node): void => {
    if (isFrameCall(node)) {
      facts.frames++;
      return; // the data, built in-process
    }
    if (ts.isIdentifier(node) && node.text === "seed") facts.seeded = true;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      const root = chainRoot(node.expression.expression);
      const onFrame = isFrameCall(root) || (ts.isIdentifier(root) && !scope.has(root.text));
      if (onFrame && (lazyMethods.has(name) || name === "lazy")) facts.lazyCalls++;
      if (UNORDERED.has(name)) facts.unordered = true;
      if (RANDOM.has(name)) facts.random = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return facts;
}

function simpleDeclarations(statement: ts.VariableStatement): ts.VariableDeclaration[] | null {
  const list = statement.declarationList.declarations;
  return list.every((d) => ts.isIdentifier(d.name)) ? [...list] : null;
}

function transformer(
  scope: readonly string[],
  texts: string[],
): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (source) => {
    const f = context.factory;
    const hoisted = new Set<string>();
    const params = () =>
      scope.map((name) => f.createParameterDeclaration(undefined, undefined, name));
    const visit = (node: ts.Node): ts.Node => {
      if (isFrameCall(node)) {
        const build = f.createArrowFunction(
          undefined,
          undefined,
          params(),
          undefined,
          f.createToken(ts.SyntaxKind.EqualsGreaterThanToken),
          f.createParenthesizedExpression(node),
        );
        return f.createCallExpression(f.createIdentifier("__frame"), undefined, [build]);
      }
      if (
        ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === "collectSync"
      ) {
        const receiver = ts.visitNode(node.expression.expression, visit) as ts.Expression;
        return f.updateCallExpression(
          node,
          f.createPropertyAccessExpression(receiver, "collect"),
          node.typeArguments,
          ts.visitNodes(node.arguments, visit) as ts.NodeArray<ts.Expression>,
        );
      }
      return ts.visitEachChild(node, visit, context);
    };
    const out = (expression: ts.Expression, from: ts.Node) => {
      texts.push(from.getText(source).split("\n")[0]!.trim());
      return f.createExpressionStatement(
        f.createCallExpression(f.createIdentifier("__out"), undefined, [expression]),
      );
    };
    const statements: ts.Statement[] = [];
    for (const statement of source.statements) {
      const declarations = ts.isVariableStatement(statement) && simpleDeclarations(statement);
      if (declarations) {
        for (const d of declarations) {
          const name = (d.name as ts.Identifier).text;
          hoisted.add(name);
          if (!d.initializer) continue;
          const value = ts.visitNode(d.initializer, visit) as ts.Expression;
          statements.push(out(f.createAssignment(f.createIdentifier(name), value), d));
        }
      } else if (ts.isExpressionStatement(statement)) {
        const e = statement.expression;
        if (
          ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          ts.isIdentifier(e.left)
        ) {
          hoisted.add(e.left.text);
        }
        statements.push(out(ts.visitNode(e, visit) as ts.Expression, e));
      } else {
        statements.push(ts.visitNode(statement, visit) as ts.Statement);
      }
    }
    const declare = hoisted.size === 0 ? [] : [
      f.createVariableStatement(
        undefined,
        f.createVariableDeclarationList(
          [...hoisted].map((name) => f.createVariableDeclaration(name)),
          ts.NodeFlags.Let,
        ),
      ),
    ];
    return f.updateSourceFile(source, [...declare, ...statements]);
  };
}

/**
 * Classifies an example's code and, when it is a lazy query, translates it.
 * @param lazyMethods Member names of LazyDataFrame and LazyGroupBy.
 * @param scope The names an example may use without `pl.` (and `pl` itself).
 */
export function prepareExample(
  code: string,
  options: { lazyMethods: ReadonlySet<string>; scope: readonly string[] },
): LazyExample | SkippedExample {
  if (code.trim() === "") return { kind: "not runnable", reason: "no code, only output" };
  const parsed = ts.createSourceFile("example.ts", code, ts.ScriptTarget.ES2022, true);
  const syntax = (parsed as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  if (syntax.length > 0) {
    const d = syntax[0]!;
    const at = d.start === undefined ? undefined : parsed.getLineAndCharacterOfPosition(d.start);
    const line = at === undefined ? "" : ` at ${codeSpan(code.split("\n")[at.line]!.trim())}`;
    return {
      kind: "not runnable",
      reason: `does not parse: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}${line}`,
    };
  }
  const facts = analyse(parsed, options.lazyMethods, new Set(options.scope));
  if (facts.frames === 0) {
    return { kind: "not lazy", reason: "builds no DataFrame (a Series or an expression alone)" };
  }
  if (facts.lazyCalls === 0) {
    return { kind: "not lazy", reason: "calls no lazy frame method: eager DataFrame use only" };
  }
  const statements: string[] = [];
  const js = ts.transpileModule(code, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleDetection: ts.ModuleDetectionKind.Force,
    },
    transformers: { before: [transformer(options.scope, statements)] },
  }).outputText.replace(/^export \{\};\s*$/m, "");
  return {
    kind: "lazy",
    body: js,
    statements,
    unordered: facts.unordered,
    unseeded: facts.random && !facts.seeded,
  };
}
