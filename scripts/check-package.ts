// What `npm publish` would ship, checked (`.ci/run` runs it after the tests; `npm run check-package` by hand):
// - a LICENSE with the license package.json names (Apache-2.0: its standard text);
// - no Python bytecode (`__pycache__`, `.pyc`) in git, in the tarball, or in the package's Python folders on disk
//   (where running the tests must not leave any);
// - every source map in the tarball has its sources, in the tarball or inlined (or there are no maps);
// - no README in the tarball links to a file the tarball does not hold;
// - main, types, exports and bin name files the tarball holds.
// Exits 1 with one line per problem. `checkPackage(root)` is the same check, for tests.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The problems of the package at `root` (its folder, with package.json); empty when it is clean. */
export function checkPackage(root: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const packed = new Set(packedFiles(root));
  return [
    ...licenseProblems(root, manifest, packed),
    ...bytecodeProblems(root, packed),
    ...sourceMapProblems(root, packed),
    ...readmeLinkProblems(root, packed),
    ...entryPointProblems(manifest, packed),
  ];
}

/** The files `npm pack` would put in the tarball, relative to `root`, with forward slashes. */
function packedFiles(root: string): string[] {
  const json = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" },
  });
  const [result] = JSON.parse(json) as Array<{ files: Array<{ path: string }> }>;
  return result.files.map((file) => file.path.replace(/\\/g, "/"));
}

const isBytecode = (file: string): boolean => /(^|\/)__pycache__(\/|$)|\.py[co]$/.test(file);

function licenseProblems(root: string, manifest: { license?: string }, packed: Set<string>): string[] {
  if (!packed.has("LICENSE"))
    return [`LICENSE is not in the package (package.json says ${manifest.license ?? "no license"})`];
  if (manifest.license !== "Apache-2.0") return [];
  const text = fs.readFileSync(path.join(root, "LICENSE"), "utf8");
  const standard = [
    "Apache License",
    "Version 2.0, January 2004",
    "TERMS AND CONDITIONS FOR USE",
    "END OF TERMS AND CONDITIONS",
  ];
  const missing = standard.filter((line) => !text.includes(line));
  return missing.length > 0 ? [`LICENSE is not the standard Apache-2.0 text (missing: ${missing.join("; ")})`] : [];
}

function bytecodeProblems(root: string, packed: Set<string>): string[] {
  const problems = [...packed].filter(isBytecode).map((file) => `Python bytecode in the package: ${file}`);
  for (const file of trackedFiles(root).filter(isBytecode)) problems.push(`Python bytecode tracked by git: ${file}`);
  // The folders that ship Python: bytecode there is what a test run (or a hand run) left behind.
  const pythonFolders = new Set(
    [...packed].filter((file) => file.endsWith(".py")).map((file) => path.posix.dirname(file)),
  );
  for (const folder of pythonFolders) {
    const cache = path.join(root, folder, "__pycache__");
    if (fs.existsSync(cache)) {
      problems.push(`Python bytecode on disk: ${folder}/__pycache__ (run python with -B or PYTHONDONTWRITEBYTECODE=1)`);
    }
  }
  return problems;
}

/** Files git tracks under `root`; none when `root` is not in a git work tree. */
function trackedFiles(root: string): string[] {
  try {
    return execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      .split("\0")
      .filter(Boolean);
  } catch {
    return [];
  }
}

function sourceMapProblems(root: string, packed: Set<string>): string[] {
  const problems: string[] = [];
  for (const file of [...packed].filter((name) => name.endsWith(".map"))) {
    const map = JSON.parse(fs.readFileSync(path.join(root, file), "utf8")) as {
      sources?: string[];
      sourcesContent?: unknown[];
    };
    const folder = path.posix.dirname(file);
    const missing = (map.sources ?? []).filter((source, index) => {
      if (typeof map.sourcesContent?.[index] === "string") return false;
      return !packed.has(path.posix.normalize(path.posix.join(folder, source)));
    });
    if (missing.length > 0)
      problems.push(`source map ${file} points at sources not in the package: ${missing.join(", ")}`);
  }
  return problems;
}

// Markdown links `[text](target)` and `[label]: target`, and paths in code spans that start with ./ or ../ .
const LINK_PATTERNS = [
  /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
  /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm,
  /`(\.\.?\/[^`\s]+)`/g,
];

function readmeLinkProblems(root: string, packed: Set<string>): string[] {
  const problems: string[] = [];
  for (const readme of [...packed].filter((file) => /(^|\/)readme(\.[a-z]+)?$/i.test(file))) {
    const text = fs.readFileSync(path.join(root, readme), "utf8");
    for (const pattern of LINK_PATTERNS) {
      for (const match of text.matchAll(pattern)) {
        const target = match[1].split("#")[0].split("?")[0];
        if (!target || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("/")) continue; // a URL, an anchor
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(readme), decodeURI(target)));
        const inPackage =
          packed.has(resolved) || [...packed].some((file) => file.startsWith(`${resolved.replace(/\/$/, "")}/`));
        if (!inPackage) problems.push(`${readme} links to ${match[1]}, which is not in the package`);
      }
    }
  }
  return problems;
}

function entryPointProblems(
  manifest: { main?: string; types?: string; exports?: unknown; bin?: string | Record<string, string> },
  packed: Set<string>,
): string[] {
  const targets: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === "string") targets.push(value);
    else if (value && typeof value === "object") Object.values(value).forEach(collect);
  };
  collect([manifest.main, manifest.types, manifest.exports, manifest.bin]);
  return [...new Set(targets)]
    .filter((target) => !packed.has(path.posix.normalize(target)))
    .map((target) => `package.json names ${target}, which is not in the package`);
}

if (require.main === module) {
  const root = path.resolve(__dirname, "..");
  const problems = checkPackage(root);
  for (const problem of problems) process.stderr.write(`check-package: ${problem}\n`);
  if (problems.length > 0) process.exit(1);
  process.stdout.write("check-package: the package is clean\n");
}
