// Imports point one way: no source file of provider/, emulator/ or bench/ reaches itself through relative imports
// (type-only imports included: a circle of types is as hard to read as one of values). Shared types get a file of
// their own instead. The imports are those TypeScript itself finds (`ts.preProcessFile`): import, export from,
// require and import().
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";

const repoRoot = path.resolve(__dirname, "..", "..");
const FOLDERS = ["provider", "emulator", "bench"];
const SOURCE = /\.(ts|js)$/;

/** Every .ts and .js source file below `folder` (no declaration files, no node_modules). */
function sourceFiles(folder: string): string[] {
  return fs
    .readdirSync(folder, { recursive: true, encoding: "utf8" })
    .map((file) => path.join(folder, file))
    .filter((file) => SOURCE.test(file) && !file.endsWith(".d.ts") && !file.split(path.sep).includes("node_modules"))
    .filter((file) => fs.statSync(file).isFile())
    .sort();
}

/** The file a relative specifier names, as Node and TypeScript resolve it; undefined when it names no source. */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, `${base}.ts`, `${base}.js`, path.join(base, "index.ts"), path.join(base, "index.js")];
  return candidates.find((file) => SOURCE.test(file) && fs.existsSync(file) && fs.statSync(file).isFile());
}

/** Each file's relative imports, as files. */
function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    const targets = importedFiles
      .map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith("."))
      .map((specifier) => resolveRelative(file, specifier))
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The circles of `graph`: its strongly connected components of more than one file, or of a file importing itself. */
export function importCircles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) circles.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return circles;
}

describe("imports point one way", () => {
  it("finds a circle where there is one, types included (the check itself)", () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "import-circles-"));
    try {
      const write = (name: string, text: string) => fs.writeFileSync(path.join(folder, name), text);
      write("a.ts", 'import { b } from "./b";\nexport const a = b;\n');
      write("b.ts", 'import type { C } from "./c";\nexport const b: C = 1;\n');
      write("c.ts", 'export type C = number;\nexport const c = require("./a");\n');
      write("d.ts", 'import { a } from "./a";\nexport const d = a;\n');
      const circles = importCircles(importGraph(sourceFiles(folder)));
      assert.deepEqual(
        circles.map((circle) => circle.map((file) => path.basename(file))),
        [["a.ts", "b.ts", "c.ts"]],
      );
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it("has no import circle in provider/, emulator/ or bench/", () => {
    const files = FOLDERS.flatMap((folder) => sourceFiles(path.join(repoRoot, folder)));
    assert.ok(files.length > 100, `the sources are found (${files.length})`);
    const circles = importCircles(importGraph(files)).map((circle) =>
      circle.map((file) => path.relative(repoRoot, file)).join(" <-> "),
    );
    assert.deepEqual(circles, [], "files that import each other, directly or through others");
  });
});
