// A temporary "user project" where `pulumi-alation` is installed from `npm pack` of this repo, as a user would
// have it: only the packed files, reached through the package's `exports`. Runtime dependencies are symlinked
// from the repo's node_modules (fast and offline). Builds nothing: `pretest` builds dist/. Made once per test
// process, removed when it exits.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..");
const projects = new Map<string, string>();

/**
 * The project folder (cwd for Pulumi's provider server), with node_modules/pulumi-alation installed. With
 * `withoutOptionalPeers`, a project of its own where the optional peer dependencies (the Kubernetes client, ssh2,
 * @pulumi/kubernetes) are not installed, as a REST-only user has it.
 */
export function installedPackageProject(options: { withoutOptionalPeers?: boolean } = {}): string {
  const variant = options.withoutOptionalPeers ? "rest-only" : "full";
  const existing = projects.get(variant);
  if (existing) return existing;
  if (!fs.existsSync(path.join(repoRoot, "dist", "provider", "runtime", "index.js"))) {
    throw new Error("dist/ is missing: build first with `npm run build` (npm test does it in pretest)");
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-alation-project-"));
  process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  const packed = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" },
  })
    .trim()
    .split("\n")
    .pop() as string;
  const modules = path.join(dir, "node_modules");
  const unpacked = path.join(dir, "unpacked");
  fs.mkdirSync(unpacked, { recursive: true });
  execFileSync("tar", ["-xzf", path.join(dir, packed), "-C", unpacked]);
  fs.mkdirSync(modules, { recursive: true });
  fs.renameSync(path.join(unpacked, "package"), path.join(modules, "pulumi-alation"));
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
  const peers: Record<string, { optional?: boolean }> = manifest.peerDependenciesMeta ?? {};
  const optional = new Set(Object.keys(peers).filter((name) => peers[name].optional));
  for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
    if (options.withoutOptionalPeers && optional.has(dependency)) continue;
    const link = path.join(modules, dependency);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(repoRoot, "node_modules", dependency), link, "dir");
  }
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "user-project", private: true }));
  projects.set(variant, dir);
  return dir;
}

/**
 * The repo linked into its own node_modules as `pulumi-alation`, as `npm start` links it (examples/quickstart/run.ts):
 * the root program imports the package by name, and its provider process loads `pulumi-alation/runtime` from there.
 */
export function linkRepoIntoItsNodeModules(): void {
  const link = path.join(repoRoot, "node_modules", "pulumi-alation");
  if (fs.existsSync(path.join(link, "package.json"))) return;
  fs.rmSync(link, { force: true });
  try {
    fs.symlinkSync(repoRoot, link, "dir");
  } catch (error) {
    // Another test process (mocha --parallel) made it first.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}
