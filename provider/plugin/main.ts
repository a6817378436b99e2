// The provider plugin `pulumi-resource-alation` (launched by plugin/pulumi-resource-alation): Pulumi's
// ResourceProvider protocol over the same runtime as the dynamic provider, for programs in every Pulumi language.
// The engine starts it with its own address as argument and reads the port it prints.
import * as fs from "node:fs";
import * as path from "node:path";
import { construct } from "./components";
import { customResourceHandlers, pulumiModules } from "./server";

/** pulumi-alation's version (its package.json, found above this file in the repo and in an installed package). */
export function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (!fs.existsSync(manifest)) continue;
    const { name, version } = JSON.parse(fs.readFileSync(manifest, "utf8"));
    if (name === "pulumi-alation") return version;
  }
  throw new Error("pulumi-resource-alation: no package.json of pulumi-alation above " + __dirname);
}

/** Serves the plugin until the engine ends it. */
export async function serve(args: string[]): Promise<void> {
  const modules = pulumiModules();
  const version = packageVersion();
  const handlers = customResourceHandlers(modules, version);
  // The SDK's server registers its service implementation once: the plugin's handlers go over it (server.ts says why).
  const addService = modules.grpc.Server.prototype.addService;
  modules.grpc.Server.prototype.addService = function (service, implementation) {
    return addService.call(this, service, Object.assign(Object.create(implementation), handlers));
  };
  const { main }: typeof import("@pulumi/pulumi/provider") = require("@pulumi/pulumi/provider");
  await main({ version, construct }, args);
}

if (require.main === module) {
  serve(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`pulumi-resource-alation: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
