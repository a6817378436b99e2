#!/usr/bin/env node
// `alation-connector verify`: checks connectors the way Claude uses them and exits 0 only when no step failed.
import { parseArgs } from "node:util";
import { connectorsFromJson, ConnectorInputError } from "./input";
import { formatReports, reportsToJson } from "./report";
import { EMULATOR_TEST_USER, type ConnectorInput, type VerifyOptions } from "./types";
import { DEFAULT_TIMEOUT_MS, verifyConnectors } from "./verify";

export const USAGE = `Usage: alation-connector verify [options]

Checks a Claude custom connector to Alation's hosted MCP server the way Claude uses it.

Input, either:
  --mcp-url URL             Remote MCP server URL (https://TENANT/ai/mcp/)
  --client-id ID            OAuth client id
  --client-secret SECRET    OAuth client secret; better in env ALATION_CONNECTOR_CLIENT_SECRET
or, without --mcp-url, on stdin: \`pulumi stack output --json --show-secrets\` (one tenant or many)

Options:
  --login                   also log a user in (authorization code + PKCE), exchange the code,
                            check the JWT, call MCP initialize and tools/list, refresh once;
                            the user is the emulator's test user unless given below
  --login-username NAME     the user to log in (implies --login)
  --login-password PASS     its password; better in env ALATION_CONNECTOR_LOGIN_PASSWORD
  --emulator                the tenant is the local emulator: loopback http passes with a warning
  --timeout-ms N            bound of each HTTP call and MCP request (default ${DEFAULT_TIMEOUT_MS})
  --json                    print JSON for CI
  -h, --help                print this help

Exit status: 0 when no step failed (warnings allowed), 1 when a step failed, 2 for bad usage or input.
`;

/** What the CLI reads and writes (the process's, or a test's). */
export interface CliIo {
  /** The whole of stdin; called only when the input comes from there. */
  readStdin(): Promise<string>;
  /** True when stdin is a terminal (nothing piped). */
  stdinIsTTY: boolean;
  /** Writes to stdout. */
  stdout(text: string): void;
  /** Writes to stderr. */
  stderr(text: string): void;
  /** The environment (secrets may come from there). */
  env: Record<string, string | undefined>;
}

/** Runs the CLI with arguments (without node and script); resolves to the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        "mcp-url": { type: "string" },
        "client-id": { type: "string" },
        "client-secret": { type: "string" },
        login: { type: "boolean" },
        "login-username": { type: "string" },
        "login-password": { type: "string" },
        emulator: { type: "boolean" },
        "timeout-ms": { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    // parseArgs quotes the offending option, never a value.
    return usageError(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== "verify") return usageError(io, "the command is `alation-connector verify`");
  const timeoutMs = values["timeout-ms"] === undefined ? DEFAULT_TIMEOUT_MS : Number(values["timeout-ms"]);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) return usageError(io, "--timeout-ms takes a positive whole number");

  let inputs: ConnectorInput[];
  try {
    inputs = await readInputs(values, io);
  } catch (error) {
    if (error instanceof ConnectorInputError) return usageError(io, error.message);
    throw error;
  }
  const options: VerifyOptions = { emulator: values.emulator ?? false, timeoutMs, login: loginOption(values, io.env) };
  const reports = await verifyConnectors(inputs, options);
  io.stdout(values.json ? reportsToJson(reports) : formatReports(reports));
  return reports.every((report) => report.ok) ? 0 : 1;
}

type ParsedValues = {
  "mcp-url"?: string;
  "client-id"?: string;
  "client-secret"?: string;
  login?: boolean;
  "login-username"?: string;
  "login-password"?: string;
};

async function readInputs(values: ParsedValues, io: CliIo): Promise<ConnectorInput[]> {
  const mcpUrl = values["mcp-url"];
  if (mcpUrl === undefined) {
    if (io.stdinIsTTY) throw new ConnectorInputError("give --mcp-url, --client-id and a client secret, or pipe the stack outputs in");
    return connectorsFromJson(await io.readStdin());
  }
  const clientId = values["client-id"];
  const clientSecret = values["client-secret"] ?? io.env.ALATION_CONNECTOR_CLIENT_SECRET;
  if (!clientId) throw new ConnectorInputError("--client-id is missing");
  if (!clientSecret) throw new ConnectorInputError("the client secret is missing: set ALATION_CONNECTOR_CLIENT_SECRET or --client-secret");
  return [{ remoteMcpServerUrl: mcpUrl, clientId, clientSecret }];
}

function loginOption(values: ParsedValues, env: CliIo["env"]): VerifyOptions["login"] {
  const username = values["login-username"];
  const password = values["login-password"] ?? env.ALATION_CONNECTOR_LOGIN_PASSWORD;
  if (username !== undefined) return { username, password: password ?? "" };
  if (!values.login) return false;
  return password !== undefined ? { ...EMULATOR_TEST_USER, password } : true;
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`alation-connector: ${message}\n\n${USAGE}`);
  return 2;
}

/** The process's own stdin, read to the end. */
async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

if (require.main === module) {
  runCli(process.argv.slice(2), {
    readStdin: readProcessStdin,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  }).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      // Unreachable in practice: the steps turn errors into findings and bad input is a usage error.
      process.stderr.write(`alation-connector: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
