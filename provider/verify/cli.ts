#!/usr/bin/env node
// `alation-connector verify`: checks connectors the way Claude uses them and exits 0 only when no step failed.
import { checkedClient, connectorsFromJson, ConnectorInputError } from "./input";
import { formatReports, reportsToJson } from "./report";
import { DEFAULT_CALLBACK_PORT } from "../domain/claude-connector";
import { MCP_CLIENT_PRESETS, type McpClient } from "../domain/mcp-clients";
import { DEFAULT_LOGIN_TIMEOUT_MS, EMULATOR_TEST_USER, type ConnectorInput, type VerifyOptions } from "./types";
import { urlExtras } from "./url-rules";
import { DEFAULT_TIMEOUT_MS, verifyConnectors } from "./verify";
import {
  parseCommandLine,
  processIo,
  runAsProcess,
  usageError as binUsageError,
  type ProcessIo,
} from "../domain/cli-main";

export const USAGE = `Usage: alation-connector verify [options]

Checks a connector to Alation's hosted MCP server the way its MCP client (Claude, unless told) uses it.

Input, either:
  --mcp-url URL             Remote MCP server URL (https://TENANT/ai/mcp/)
  --client-id ID            OAuth client id
  --client-secret SECRET    OAuth client secret; better in env ALATION_CONNECTOR_CLIENT_SECRET
or, without --mcp-url, on stdin: \`pulumi stack output --json --show-secrets\` (one tenant or many)

Options:
  --login                   also log in as Claude does: a browser opens ($BROWSER, else the platform's
                            opener; the URL is printed too), the user logs in, the code comes back to
                            http://127.0.0.1:PORT/callback; then the code exchange, the JWT checks, MCP
                            initialize and tools/list, one refresh. Without it the JWT flag is not checked.
                            The application must list that redirect URI (AlationClaudeConnector's verifierLogin)
  --no-login                check everything up to the login, and no login (with --emulator)
  --callback-port N         the port of that redirect URI (default ${DEFAULT_CALLBACK_PORT})
  --login-timeout-ms N      how long to wait for the browser to come back (default ${DEFAULT_LOGIN_TIMEOUT_MS})
  --access-token-expiry N   the application's accessTokenExpiry in seconds, compared with the token's
                            lifetime (default: from the input, else 86400)
  --client CLIENT           the MCP client whose callbacks to check: a preset (${MCP_CLIENT_PRESETS.join(", ")}),
                            or JSON as AlationMcpConnector's client takes it, e.g.
                            '{"preset":"claude-code","callbackPort":3118}' (default: the input's client, else claude)
  --emulator                the tenant is the local emulator: loopback http passes with a warning, and
                            (without --login or --no-login) its test user logs in without a browser, as
                            npm start does, so the login, token and MCP steps run from the command line
  --timeout-ms N            bound of each HTTP call and MCP request (default ${DEFAULT_TIMEOUT_MS})
  --json                    print JSON for CI
  -h, --help                print this help

Exit status: 0 when no step failed (warnings allowed), 1 when a step failed, 2 for bad usage or input.
`;

const VERIFY_BIN = { bin: "alation-connector", help: "alation-connector verify --help", usage: USAGE };

/** What the CLI reads and writes (the process's, or a test's). */
export interface CliIo extends ProcessIo {
  /** The whole of stdin; called only when the input comes from there. */
  readStdin(): Promise<string>;
  /** True when stdin is a terminal (nothing piped). */
  stdinIsTTY: boolean;
}

const CLI_OPTIONS = {
  "mcp-url": { type: "string" },
  "client-id": { type: "string" },
  "client-secret": { type: "string" },
  login: { type: "boolean" },
  "no-login": { type: "boolean" },
  "callback-port": { type: "string" },
  "login-timeout-ms": { type: "string" },
  "access-token-expiry": { type: "string" },
  client: { type: "string" },
  emulator: { type: "boolean" },
  "timeout-ms": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * `--client-id -abc` as `--client-id=-abc`: parseArgs takes a value that starts with a dash for an option of its own
 * and refuses it as ambiguous, but client ids (base64url) and secrets may well start with one.
 */
function withValuesJoined(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = /^--([^=]+)$/.exec(argv[i])?.[1];
    const takesValue = name !== undefined && CLI_OPTIONS[name as keyof typeof CLI_OPTIONS]?.type === "string";
    if (takesValue && i + 1 < argv.length) joined.push(`${argv[i]}=${argv[++i]}`);
    else joined.push(argv[i]);
  }
  return joined;
}

/** Runs the CLI with arguments (without node and script); resolves to the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(VERIFY_BIN, withValuesJoined(argv), CLI_OPTIONS, io);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== "verify")
    return usageError(io, "the command is `alation-connector verify`");
  let inputs: ConnectorInput[];
  let options: VerifyOptions;
  try {
    const timeoutMs = wholeNumber(values["timeout-ms"], "--timeout-ms", 1) ?? DEFAULT_TIMEOUT_MS;
    const accessTokenExpiry = wholeNumber(values["access-token-expiry"], "--access-token-expiry", 1);
    const browser = browserOptions(values, io);
    const client = clientOption(values.client);
    const login = loginOption(values);
    options = { emulator: values.emulator ?? false, timeoutMs, login, browser };
    // The flags are the defaults of the connectors whose input does not say.
    inputs = (await readInputs(values, io)).map((input) => ({ accessTokenExpiry, client, ...input }));
  } catch (error) {
    if (error instanceof ConnectorInputError) return usageError(io, error.message);
    throw error;
  }
  const reports = await verifyConnectors(inputs, options);
  io.stdout(values.json ? reportsToJson(reports) : formatReports(reports));
  return reports.every((report) => report.ok) ? 0 : 1;
}

type ParsedValues = {
  "mcp-url"?: string;
  "client-id"?: string;
  "client-secret"?: string;
  "callback-port"?: string;
  "login-timeout-ms"?: string;
};

async function readInputs(values: ParsedValues, io: CliIo): Promise<ConnectorInput[]> {
  const mcpUrl = values["mcp-url"];
  if (mcpUrl === undefined) {
    if (io.stdinIsTTY)
      throw new ConnectorInputError("give --mcp-url, --client-id and a client secret, or pipe the stack outputs in");
    return connectorsFromJson(await io.readStdin());
  }
  const extras = URL.canParse(mcpUrl) ? urlExtras(new URL(mcpUrl)) : undefined;
  if (extras) {
    const bare = "give the bare Remote MCP server URL, https://TENANT/ai/mcp/";
    throw new ConnectorInputError(`--mcp-url holds ${extras}: ${bare}`);
  }
  const clientId = values["client-id"];
  const clientSecret = values["client-secret"] ?? io.env.ALATION_CONNECTOR_CLIENT_SECRET;
  if (!clientId) throw new ConnectorInputError("--client-id is missing");
  if (!clientSecret)
    throw new ConnectorInputError(
      "the client secret is missing: set ALATION_CONNECTOR_CLIENT_SECRET or --client-secret",
    );
  return [{ remoteMcpServerUrl: mcpUrl, clientId, clientSecret }];
}

/** `--login` through a browser; else, on the emulator, its test user without a browser, unless `--no-login`. */
function loginOption(values: { login?: boolean; "no-login"?: boolean; emulator?: boolean }): VerifyOptions["login"] {
  if (values.login && values["no-login"]) throw new ConnectorInputError("--login and --no-login exclude each other");
  if (values.login) return true;
  return values.emulator && !values["no-login"] ? EMULATOR_TEST_USER : false;
}

/** The browser login's settings; the URL is printed on stderr, for a machine where no browser opens. */
function browserOptions(values: ParsedValues, io: CliIo): NonNullable<VerifyOptions["browser"]> {
  return {
    callbackPort: wholeNumber(values["callback-port"], "--callback-port", 0, 65535),
    timeoutMs: wholeNumber(values["login-timeout-ms"], "--login-timeout-ms", 1),
    env: io.env,
    onUrl: (url) =>
      io.stderr(`alation-connector: log in with the browser that opens; if none does, open this URL:\n  ${url}\n`),
  };
}

/** `--client`: a preset's name, or JSON of a preset with options (or of explicit redirect URIs). */
function clientOption(text: string | undefined): McpClient | undefined {
  if (text === undefined) return undefined;
  let client: unknown = text;
  if (text.trim().startsWith("{")) {
    try {
      client = JSON.parse(text);
    } catch {
      throw new ConnectorInputError(
        '--client is not valid JSON (e.g. \'{"preset":"claude-code","callbackPort":3118}\')',
      );
    }
  }
  return checkedClient(client, "--client");
}

/** The value of a whole-number option within [min, max], or undefined when not given. */
function wholeNumber(text: string | undefined, option: string, min: number, max?: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `from ${min} up` : `from ${min} to ${max}`;
    throw new ConnectorInputError(`${option} takes a whole number ${range}`);
  }
  return value;
}

/** One line naming the problem, and where the usage is (never the whole usage: the problem would scroll away). */
function usageError(io: CliIo, message: string): number {
  return binUsageError(io, VERIFY_BIN, message);
}

/** The process's own stdin, read to the end. */
async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

if (require.main === module) {
  // An escaped error is unreachable in practice: the steps turn errors into findings and bad input is a usage error.
  runAsProcess("alation-connector", () =>
    runCli(process.argv.slice(2), {
      ...processIo(),
      readStdin: readProcessStdin,
      stdinIsTTY: Boolean(process.stdin.isTTY),
    }),
  );
}
