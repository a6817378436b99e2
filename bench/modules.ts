// What a list of loaded module files says: which packages they come from, which of them belong to pulumi-alation,
// and whether any library of the shell path (Kubernetes client, SSH) was loaded.

/** Packages a REST-only stack must not load: the shell path's transports require them lazily. */
export const SHELL_ONLY_PACKAGES = ["@kubernetes/client-node", "ssh2", "@pulumi/kubernetes"] as const;

const LIBRARY_DIR = "/node_modules/pulumi-alation/";

/** A summary of loaded module files. */
export interface ModuleSummary {
  /** Module files loaded, in all. */
  files: number;
  /** Files per package, by package name (`(no package)` for files outside node_modules). */
  packages: Record<string, number>;
  /** pulumi-alation's own files, relative to the package. */
  libraryFiles: string[];
  /** The shell-only packages among them (must be empty for a REST-only stack). */
  shellOnlyPackagesLoaded: string[];
}

/** Summarizes absolute module paths (the keys of require.cache). */
export function summarizeModules(files: string[]): ModuleSummary {
  const packages: Record<string, number> = {};
  const libraryFiles: string[] = [];
  for (const file of files) {
    const name = packageOf(file);
    packages[name] = (packages[name] ?? 0) + 1;
    if (name === "pulumi-alation") libraryFiles.push(file.slice(file.lastIndexOf(LIBRARY_DIR) + LIBRARY_DIR.length));
  }
  const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b)));
  return {
    files: files.length,
    packages: sorted,
    libraryFiles: libraryFiles.sort(),
    shellOnlyPackagesLoaded: SHELL_ONLY_PACKAGES.filter((name) => name in packages),
  };
}

/** The package a file belongs to: the last `node_modules/` segment's name (`@scope/name` for scoped ones). */
export function packageOf(file: string): string {
  const marker = "/node_modules/";
  const at = file.replace(/\\/g, "/").lastIndexOf(marker);
  if (at < 0) return "(no package)";
  const parts = file.slice(at + marker.length).split("/");
  return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
}
