// The emulator's programmatic entry point: start a stand-in Alation tenant, find its shell commands.
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { parseFaultOptions } from "./faults";
import { serveTenant } from "./server";
import { SigningKey } from "./signing";
import { TenantStore } from "./store";
import { Tenant } from "./tenant";
import {
  API_GENERATION_MODES,
  JWT_FLAG_MODES,
  MCP_WITHOUT_SLASH_MODES,
  MCP_WITHOUT_TOKEN_MODES,
  type EmulatorOptions,
  type RunningEmulator,
} from "./types";

export type {
  ApiGeneration,
  ApiGenerationMode,
  EmulatorOptions,
  FaultKind,
  FaultOptions,
  JwtFlagMode,
  McpWithoutSlashMode,
  McpWithoutTokenMode,
  RunningEmulator,
} from "./types";
export { API_GENERATION_MODES } from "./types";
export { CLIENTS_PREFIX, withApiNames } from "./api-generations";
export { openApiDocument } from "./openapi";
export { CUSTOM_MCP_SERVER_ID } from "./mcp-paths";
export { SERVICE_ACCOUNT_ROLES } from "./service-accounts";
export { DEFAULT_TEST_USER } from "./tenant";

/** Starts an emulated tenant; resolves once it accepts connections. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  if (!options.adminToken) throw new Error("startEmulator: adminToken is required");
  if (options.faults) parseFaultOptions(options.faults);
  for (const [name, value, modes] of [
    ["jwtFlag", options.jwtFlag, JWT_FLAG_MODES],
    ["mcpWithoutSlash", options.mcpWithoutSlash, MCP_WITHOUT_SLASH_MODES],
    ["mcpWithoutToken", options.mcpWithoutToken, MCP_WITHOUT_TOKEN_MODES],
    ["apiGeneration", options.apiGeneration, API_GENERATION_MODES],
  ] as const) {
    if (value !== undefined && !(modes as readonly string[]).includes(value))
      throw new Error(`startEmulator: ${name} must be ${modes.join(" or ")}`);
  }
  const store = TenantStore.open(options.dataDir);
  const signingKey = await SigningKey.load(store);
  const tenant = new Tenant(store, signingKey, options);
  const server = await serveTenant(tenant, options.port ?? 0, options.host ?? "127.0.0.1");
  // No "listening" line here: the caller has the URL and says so (the CLI prints it once, on stdout).
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping =
      stopping ??
      (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await store.flush();
        tenant.log("alation emulator stopped");
      })());
  return { url: tenant.baseUrl, adminToken: options.adminToken, stop };
}

/** The folder holding the `alation_conf` and `alation_django_shell` executables (put it on PATH). */
export function shellPath(): string {
  // From the sources this file is emulator/index.ts; built, it is dist/emulator/index.js next to emulator/ in the
  // package.
  const candidates = [
    path.join(__dirname, "python", "bin"),
    path.join(__dirname, "..", "..", "emulator", "python", "bin"),
  ];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, "alation_conf")));
  if (!found) throw new Error(`the emulator's shell commands are missing (looked in ${candidates.join(", ")})`);
  // npm keeps the executable bit, but a copy made some other way may not have it.
  for (const name of ["alation_conf", "alation_django_shell"]) {
    const file = path.join(found, name);
    try {
      if ((fs.statSync(file).mode & 0o111) === 0) fs.chmodSync(file, 0o755);
    } catch {
      // read-only install: the commands still run as `python3 FILE`
    }
  }
  return found;
}

/** A loopback port that was free a moment ago: to suggest one, or for a server that cannot pick its own. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
