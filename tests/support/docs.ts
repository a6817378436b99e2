// The user documentation, as the tests that hold it to the code read it: README.md and docs/*.md. A quoted line may
// live in any of them (the README is the user's path; reference and internals are in docs/), so the tests look for a
// quote in all of them, and for a section in the file that holds it.
import * as fs from "node:fs";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..");

/** README.md and every docs/*.md, by their path from the repository's root. */
export function docsFiles(): string[] {
  const docs = fs
    .readdirSync(path.join(repoRoot, "docs"))
    .filter((file) => file.endsWith(".md"))
    .sort()
    .map((file) => `docs/${file}`);
  return ["README.md", ...docs];
}

/** The text of a documentation file, by its path from the repository's root (`README.md`, `docs/reference.md`). */
export function docText(file: string): string {
  return fs.readFileSync(path.join(repoRoot, file), "utf8");
}

/** Whether README.md or a docs/*.md quotes `text`; runs of whitespace count as one space, as prose wraps them. */
export function docsQuote(text: string): boolean {
  const squeeze = (value: string) => value.replace(/\s+/g, " ");
  return docsFiles().some((file) => squeeze(docText(file)).includes(squeeze(text)));
}

/** The section of `file` under the heading `heading` (its whole line), up to the next heading of its level or above. */
export function docSection(file: string, heading: string): string {
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const lines = docText(file).split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`${file} has no section ${heading}`);
  const ends = new RegExp(`^#{1,${level}} `);
  let fenced = false; // a `# comment` in a code block is no heading
  const end = lines.findIndex((line, index) => {
    if (index <= start) return false;
    if (line.startsWith("```")) fenced = !fenced;
    return !fenced && ends.test(line);
  });
  return lines.slice(start + 1, end < 0 ? undefined : end).join("\n");
}
