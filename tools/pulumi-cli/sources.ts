// What a build of the CLI folder is made from, apart from the build itself (locate.ts): the hash of the Go sources that
// names the cache folder, and the facts of Pulumi's YAML language host, which is built from a Go module of its own.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The Go module that builds the CLI (this folder). */
export const MODULE_DIR = __dirname;

/** The Go module of Pulumi's YAML language host: a module of its own (language-yaml/go.mod says why). */
export const YAML_MODULE_DIR = path.join(MODULE_DIR, "language-yaml");
const YAML_MODULE = "github.com/pulumi/pulumi-yaml";
export const YAML_HOST_PACKAGE = `${YAML_MODULE}/cmd/pulumi-language-yaml`;
export const YAML_VERSION_VARIABLE = `${YAML_MODULE}/pkg/version.Version`;

/** The pulumi-yaml version that language-yaml/go.mod requires (`v1.25.0`). */
export function yamlHostVersion(): string {
  const goMod = fs.readFileSync(path.join(YAML_MODULE_DIR, "go.mod"), "utf8");
  const match = new RegExp(`^\\s*${YAML_MODULE.replace(/\./g, "\\.")} (v\\S+)`, "m").exec(goMod);
  if (!match) throw new Error(`${YAML_MODULE_DIR}/go.mod requires no ${YAML_MODULE}`);
  return match[1];
}

/** A hash of what the build is made from: go.mod, go.sum, the language hosts' Go modules and the launcher. */
export function sourcesHash(): string {
  const hash = createHash("sha256");
  for (const file of buildInputs(MODULE_DIR)) {
    hash.update(path.relative(MODULE_DIR, file)).update("\0").update(fs.readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 12);
}

// Everything in the module folder but the TypeScript that drives the build and the docs.
function buildInputs(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return buildInputs(file);
      return /\.(ts|md)$/.test(entry.name) ? [] : [file];
    });
}
