// The doc comments of the TypeScript Args and resource classes, read from the files that declare them (the shipped
// .d.ts, or the .ts source when run from the repo): the schema's descriptions are the TypeScript descriptions, written
// once. A small scanner, not the TypeScript compiler (not a runtime dependency): declaration files are regular.
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Each documented member of one interface or class: `name`, or `parent.name` for a member of an inline type; the
 * declaration's own doc comment under `""`.
 */
export type MemberDocs = Readonly<Record<string, string>>;

const cache = new Map<string, Map<string, MemberDocs>>();

/**
 * The member docs of `declaration` (an interface or class) in `module` (a path relative to provider/, no extension).
 * Empty when the file or the declaration is not found: the schema then falls back to the field table's docs.
 */
export function docsOf(module: string, declaration: string): MemberDocs {
  let declarations = cache.get(module);
  if (!declarations) {
    declarations = scan(readDeclarations(module));
    cache.set(module, declarations);
  }
  return declarations.get(declaration) ?? {};
}

function readDeclarations(module: string): string {
  const base = path.join(__dirname, "..", module);
  for (const file of [`${base}.d.ts`, `${base}.ts`]) {
    if (fs.existsSync(file)) return fs.readFileSync(file, "utf8");
  }
  return "";
}

const DECLARATION = /^export (?:declare )?(?:interface|class) (\w+)\b[^{]*\{/;
const MEMBER = /^(?:public |readonly |declare )*(\w+)[?!]?\s*:/;

/** Every top-level interface and class, with its members' doc comments (one level of inline types too). */
function scan(text: string): Map<string, MemberDocs> {
  const found = new Map<string, MemberDocs>();
  const lines = text.split("\n");
  let leading: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith("/**")) {
      const comment: string[] = [lines[i]];
      while (!comment[comment.length - 1].includes("*/") && i + 1 < lines.length) comment.push(lines[++i]);
      leading = cleanComment(comment.join("\n"));
      continue;
    }
    const start = DECLARATION.exec(lines[i]);
    if (!start) {
      if (lines[i].trim()) leading = undefined;
      continue;
    }
    // The declaration's own doc comment, under "".
    const docs: Record<string, string> = leading ? { "": leading } : {};
    leading = undefined;
    // The member names open at each depth, for inline types' members (`clientCredentials.clientId`).
    const open: string[] = [];
    let depth = 1;
    let comment: string | undefined;
    for (i++; i < lines.length && depth > 0; i++) {
      const line = lines[i].trim();
      if (line.startsWith("/**")) {
        const block: string[] = [line];
        while (!block[block.length - 1].includes("*/") && i + 1 < lines.length) block.push(lines[++i].trim());
        comment = cleanComment(block.join("\n"));
        continue;
      }
      const member = MEMBER.exec(line);
      if (member && depth <= 2) {
        const name = depth === 1 ? member[1] : `${open[depth - 2] ?? ""}.${member[1]}`;
        if (comment) docs[name] = comment;
        if (depth === 1) open[0] = member[1];
      }
      comment = undefined;
      depth += count(line, "{") - count(line, "}");
    }
    i--;
    found.set(start[1], docs);
  }
  return found;
}

function cleanComment(comment: string): string {
  return comment
    .replace(/^\/\*\*/, "")
    .replace(/\*\/$/, "")
    .split("\n")
    .map((line) => line.replace(/^\s*\*\s?/, "").trim())
    .join("\n")
    .trim()
    .replace(/([^\n])\n(?!\n)/g, "$1 ");
}

function count(line: string, char: string): number {
  return line.split(char).length - 1;
}
