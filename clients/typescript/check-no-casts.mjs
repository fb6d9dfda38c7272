// Fails when the hand-written TypeScript (src/) escapes the generated types: the `any` type, a cast (`x as T`,
// `<T>x`; `as const` is fine), a non-null assertion (`x!`) or a @ts-ignore/@ts-expect-error/@ts-nocheck comment.
// The generated types must be enough to drive the API. Read with the TypeScript compiler's own parser.
import { readdirSync, readFileSync } from "node:fs";
import ts from "typescript";

const failures = [];
for (const name of readdirSync(new URL("./src/", import.meta.url)).filter((f) => f.endsWith(".ts"))) {
  const text = readFileSync(new URL(`./src/${name}`, import.meta.url), "utf8");
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const report = (node, what) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    failures.push(`src/${name}:${line + 1}: ${what}: ${node.getText().slice(0, 80)}`);
  };
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) {
      report(node, "any");
    } else if (ts.isAsExpression(node) && !(ts.isTypeReferenceNode(node.type) && node.type.getText() === "const")) {
      report(node, "a cast");
    } else if (ts.isTypeAssertionExpression(node)) {
      report(node, "a cast");
    } else if (ts.isNonNullExpression(node)) {
      report(node, "a non-null assertion");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  text.split("\n").forEach((line, i) => {
    if (/@ts-(ignore|expect-error|nocheck)/.test(line)) {
      failures.push(`src/${name}:${i + 1}: a @ts- comment`);
    }
  });
}
if (failures.length > 0) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log("[typescript-client] src/: no any, no cast, no non-null assertion, no @ts- comment");
