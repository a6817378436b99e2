#!/usr/bin/env node
// alation-emulator: serve a stand-in Alation tenant on 127.0.0.1, or print where its shell commands live.
//   alation-emulator --port N --data-dir DIR --admin-token TOKEN [--api-generation a|b|both] [--no-openapi]
//     [--documented-only] [--strict-fields] [--web-redirect-uris-only] [--jwt-flag required|optional]
//     [--mcp-without-slash redirect|answer] [--mcp-without-token challenge|answer] [--advertise-cimd]
//     [--advertise-dcr] [--fault-rate R
//     --fault-kinds 500,429,drop --fault-seed S --latency-ms M --retry-after S --fault-routes REGEX] [--verbose]
//   alation-emulator shell-path
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { parseFaultOptions } from "./faults";
import { shellPath, startEmulator } from "./index";
import {
  API_GENERATION_MODES,
  JWT_FLAG_MODES,
  MCP_WITHOUT_SLASH_MODES,
  MCP_WITHOUT_TOKEN_MODES,
  type EmulatorOptions,
  type FaultOptions,
  type RunningEmulator,
} from "./types";

const USAGE = `usage: alation-emulator [--port N] [--host H] [--data-dir DIR] --admin-token TOKEN
         [--api-generation a|b|both] [--no-openapi] [--documented-only]
         [--strict-fields] [--web-redirect-uris-only] [--jwt-flag required|optional]
         [--mcp-without-slash redirect|answer] [--mcp-without-token challenge|answer]
         [--advertise-cimd] [--advertise-dcr]
         [--fault-rate R] [--fault-kinds K1,K2] [--fault-seed S] [--latency-ms M] [--retry-after S]
         [--fault-routes REGEX]
         [--verbose]
       alation-emulator shell-path
The admin token may also come from ALATION_EMULATOR_ADMIN_TOKEN.`;

/** The flag of each fault option, to name it in errors. */
const FAULT_FLAGS = {
  rate: "--fault-rate",
  kinds: "--fault-kinds",
  seed: "--fault-seed",
  latencyMs: "--latency-ms",
  retryAfterSeconds: "--retry-after",
  routes: "--fault-routes",
} as const;

/** A mistake in the command line (exit 2); anything else that stops the start is a start-up failure (exit 1). */
class UsageError extends Error {}

/** `parse()`, with what it throws turned into a UsageError. */
function asUsageError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "shell-path") {
    process.stdout.write(`${shellPath()}\n`);
    return;
  }
  const flags = parseFlags(argv);
  if (flags.help) {
    process.stdout.write(`${USAGE}\nEvery flag, the test hooks and fault injection: ${readmePath()}\n`);
    return;
  }
  const emulator = await startEmulator(emulatorOptions(flags));
  process.stdout.write(`alation-emulator listening on ${emulator.url}\n`);
  stopOnSignals(emulator);
}

/** The command line's flags, as parseArgs reads them (a UsageError for an unknown or malformed one). */
function parseFlags(argv: string[]) {
  const { values } = asUsageError(() =>
    parseArgs({
      args: withNegativeNumbersJoined(argv),
      options: {
        port: { type: "string", default: "0" },
        host: { type: "string", default: "127.0.0.1" },
        "data-dir": { type: "string" },
        "admin-token": { type: "string" },
        "api-generation": { type: "string", default: "a" },
        "no-openapi": { type: "boolean", default: false },
        "documented-only": { type: "boolean", default: false },
        "strict-fields": { type: "boolean", default: false },
        "web-redirect-uris-only": { type: "boolean", default: false },
        "jwt-flag": { type: "string", default: "required" },
        "mcp-without-slash": { type: "string", default: "redirect" },
        "mcp-without-token": { type: "string", default: "challenge" },
        "advertise-cimd": { type: "boolean", default: false },
        "advertise-dcr": { type: "boolean", default: false },
        "fault-rate": { type: "string" },
        "fault-kinds": { type: "string" },
        "fault-seed": { type: "string" },
        "latency-ms": { type: "string" },
        "retry-after": { type: "string" },
        "fault-routes": { type: "string" },
        verbose: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }),
  );
  return values;
}

type Flags = ReturnType<typeof parseFlags>;

/** The emulator's options from the flags (and ALATION_EMULATOR_ADMIN_TOKEN); a UsageError names a bad flag. */
function emulatorOptions(flags: Flags): EmulatorOptions {
  const adminToken = flags["admin-token"] ?? process.env.ALATION_EMULATOR_ADMIN_TOKEN;
  if (!adminToken) throw new UsageError("an admin token is required: --admin-token or ALATION_EMULATOR_ADMIN_TOKEN");
  const port = Number(flags.port);
  if (!/^\d+$/.test(flags.port) || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535, got ${flags.port}`);
  }
  return {
    port,
    host: flags.host,
    dataDir: flags["data-dir"],
    adminToken,
    apiGeneration: oneOf(flags["api-generation"], API_GENERATION_MODES, "--api-generation"),
    openApi: !flags["no-openapi"],
    documentedOnly: flags["documented-only"],
    strictFields: flags["strict-fields"],
    webRedirectUrisOnly: flags["web-redirect-uris-only"],
    jwtFlag: oneOf(flags["jwt-flag"], JWT_FLAG_MODES, "--jwt-flag"),
    mcpWithoutSlash: oneOf(flags["mcp-without-slash"], MCP_WITHOUT_SLASH_MODES, "--mcp-without-slash"),
    mcpWithoutToken: oneOf(flags["mcp-without-token"], MCP_WITHOUT_TOKEN_MODES, "--mcp-without-token"),
    advertiseCimd: flags["advertise-cimd"],
    advertiseDcr: flags["advertise-dcr"],
    faults: faultOptions(flags),
    log: flags.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
  };
}

/** The value of a flag that takes one of `modes` (a UsageError names the flag and the modes). */
function oneOf<T extends string>(value: string, modes: readonly T[], flag: string): T {
  if (!(modes as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be ${modes.join(" or ")}, got ${value}`);
  }
  return value as T;
}

/** The fault options of the flags that were given, checked (a UsageError names the flag). */
function faultOptions(flags: Flags): FaultOptions {
  const number = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));
  return asUsageError(() =>
    parseFaultOptions(
      Object.fromEntries(
        Object.entries({
          rate: number(flags["fault-rate"]),
          kinds: flags["fault-kinds"]?.split(",").map((k) => k.trim()),
          seed: number(flags["fault-seed"]),
          latencyMs: number(flags["latency-ms"]),
          retryAfterSeconds: number(flags["retry-after"]),
          routes: flags["fault-routes"],
        }).filter(([, v]) => v !== undefined),
      ),
      FAULT_FLAGS,
    ),
  );
}

/** SIGINT and SIGTERM stop the emulator cleanly (exit 0), or exit 1 saying why they could not. */
function stopOnSignals(emulator: RunningEmulator): void {
  // A clean stop loses nothing: every accepted change is on disk before its answer, and stop() waits for writes.
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`alation-emulator: ${signal}, stopping\n`);
    emulator.stop().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`alation-emulator: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

/**
 * `--latency-ms -5` as `--latency-ms=-5`: parseArgs takes an argument that starts with a dash for a flag of its own,
 * so a negative number would be refused as ambiguous instead of reaching the range check that names the flag.
 */
function withNegativeNumbersJoined(argv: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (/^--[^=]+$/.test(argv[i]) && /^-\.?\d/.test(argv[i + 1] ?? "")) joined.push(`${argv[i]}=${argv[++i]}`);
    else joined.push(argv[i]);
  }
  return joined;
}

/** This command's README: next to the sources, or in the package beside dist/. */
function readmePath(): string {
  const candidates = [path.join(__dirname, "README.md"), path.join(__dirname, "..", "..", "emulator", "README.md")];
  return candidates.find((file) => fs.existsSync(file)) ?? "emulator/README.md in the pulumi-alation package";
}

main(process.argv.slice(2)).catch((err) => {
  const usage = err instanceof UsageError;
  const pointer = usage ? " (alation-emulator --help for usage)" : "";
  process.stderr.write(`alation-emulator: ${(err as Error).message}${pointer}\n`);
  process.exit(usage ? 2 : 1);
});
