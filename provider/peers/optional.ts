// The optional peer dependencies (package.json `peerDependenciesMeta`): the Kubernetes client and ssh2 serve only the
// shell transports, @pulumi/kubernetes only `kubernetesSecret`, so REST-only users need not install them. Each is
// required where it is used; when it is missing, the error is one line naming the package and how to install it.
// No Pulumi here.

/** `require(name)`; when the package is not installed, throws `fail(message)`, one line naming it. */
export function requireOptionalPeer<T>(
  name: string,
  neededFor: string,
  fail: (message: string) => Error = (message) => new Error(message),
): T {
  try {
    return require(name) as T;
  } catch (error) {
    if (!isMissing(error, name)) throw error;
    const range = peerRange(name);
    const install = `npm install ${range ? `${name}@${range}` : name}`;
    throw fail(`${neededFor} needs the npm package ${name}, which is not installed: ${install}`);
  }
}

/** Whether `error` says that `name` itself (not a module it requires) cannot be found. */
function isMissing(error: unknown, name: string): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === "MODULE_NOT_FOUND" && typeof message === "string" && message.includes(`'${name}'`);
}

/** The range package.json asks for (one fact, one place); undefined if the manifest cannot be read. */
function peerRange(name: string): string | undefined {
  try {
    // Self-reference: resolves from the sources and from an installed package alike (`exports` has ./package.json).
    const manifest = require("pulumi-alation/package.json") as { peerDependencies?: Record<string, string> };
    return manifest.peerDependencies?.[name];
  } catch {
    return undefined;
  }
}
