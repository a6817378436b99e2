// Reads connectors out of what `pulumi stack output --json --show-secrets` prints: one tenant's four fields,
// or many tenants under any nesting (`{tenants: {acme: {...}}}`, `{acme: {...}}`, `[{...}, ...]`), each with the
// MCP client it is for when the outputs say (`client`, as AlationMcpConnector takes it).
import { clientProblems, describeProblem } from "../domain/mcp-client-spec";
import type { McpClient } from "../domain/mcp-clients";
import { isObject } from "./http";
import type { ConnectorInput } from "./types";

/** Input that cannot be verified (a usage error, not a failed check). */
export class ConnectorInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConnectorInputError";
  }
}

/** What Pulumi prints for a secret output without --show-secrets. */
const HIDDEN_SECRET = "[secret]";

/** Spellings of each field that stack outputs plausibly use. */
const FIELD_NAMES = {
  mcpUrl: ["remoteMcpServerUrl", "remote_mcp_server_url", "mcpUrl", "mcp_url", "mcpServerUrl"],
  clientId: ["clientId", "client_id"],
  clientSecret: ["clientSecret", "client_secret"],
  connectorName: ["connectorName", "connector_name"],
  accessTokenExpiry: ["accessTokenExpiry", "access_token_expiry"],
  client: ["client", "mcpClient"],
} as const;

/** Keys of a connector's outputs that hold no other connector: its fields, its client, what that client is given. */
const CONNECTOR_OWN_KEYS: ReadonlySet<string> = new Set([...Object.values(FIELD_NAMES).flat(), "clientConfig"]);

/** Stack outputs are shallow; deeper nesting is not a connector list. */
const MAX_DEPTH = 6;

/** Every connector found in parsed stack outputs, named by its path in them (e.g. `tenants.acme`). */
export function connectorsFromStackOutputs(outputs: unknown): ConnectorInput[] {
  const found: ConnectorInput[] = [];
  collect(outputs, [], found, 0);
  if (found.length === 0) {
    throw new ConnectorInputError(
      "no connector in the input: expected objects with remoteMcpServerUrl, clientId and clientSecret " +
        "(the output of `pulumi stack output --json --show-secrets`)",
    );
  }
  return found;
}

/** Parses stack outputs given as JSON text. */
export function connectorsFromJson(text: string): ConnectorInput[] {
  if (text.trim() === "") {
    throw new ConnectorInputError(
      "stdin is empty: pipe in `pulumi stack output --json --show-secrets`, " +
        "or give --mcp-url, --client-id and the client secret",
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The text may hold secrets: never quote it.
    throw new ConnectorInputError("the input is not valid JSON (expected `pulumi stack output --json --show-secrets`)");
  }
  return connectorsFromStackOutputs(parsed);
}

function collect(value: unknown, path: string[], found: ConnectorInput[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => collect(item, [...path, String(index)], found, depth + 1));
    return;
  }
  if (!isObject(value)) return;
  const mcpUrl = field(value, FIELD_NAMES.mcpUrl);
  const clientId = field(value, FIELD_NAMES.clientId);
  const isConnector = mcpUrl !== undefined || clientId !== undefined;
  if (isConnector) found.push(toConnector(value, path));
  // Beside a connector's fields, other connectors may follow: the root stack of one tenant has Claude's fields at
  // the top and the other clients' connectors under `mcpClients`.
  for (const [key, child] of Object.entries(value)) {
    if (!isConnector || !CONNECTOR_OWN_KEYS.has(key)) collect(child, [...path, key], found, depth + 1);
  }
}

function toConnector(value: Record<string, unknown>, path: string[]): ConnectorInput {
  const connectorName = field(value, FIELD_NAMES.connectorName);
  const name = path.length > 0 ? path.join(".") : typeof connectorName === "string" ? connectorName : undefined;
  const where = name ? `connector ${name}` : "the connector";
  const text = (names: readonly string[], label: string): string => {
    const v = field(value, names);
    if (v === HIDDEN_SECRET) {
      throw new ConnectorInputError(`${where}: ${label} is hidden; run \`pulumi stack output --json --show-secrets\``);
    }
    if (typeof v !== "string" || v.trim() === "") throw new ConnectorInputError(`${where}: ${label} is missing`);
    return v.trim();
  };
  // The application's lifetime, beside the four fields or in the exported `application` (the component's child).
  const application = isObject(value.application) ? value.application : {};
  const expiry = field(value, FIELD_NAMES.accessTokenExpiry) ?? field(application, FIELD_NAMES.accessTokenExpiry);
  if (expiry !== undefined && !isSeconds(expiry)) {
    throw new ConnectorInputError(`${where}: accessTokenExpiry is not a positive whole number of seconds`);
  }
  const client = field(value, FIELD_NAMES.client);
  return {
    name,
    connectorName: typeof connectorName === "string" ? connectorName : undefined,
    remoteMcpServerUrl: text(FIELD_NAMES.mcpUrl, "remoteMcpServerUrl"),
    clientId: text(FIELD_NAMES.clientId, "clientId"),
    clientSecret: text(FIELD_NAMES.clientSecret, "clientSecret"),
    ...(expiry !== undefined ? { accessTokenExpiry: expiry } : {}),
    ...(client !== undefined ? { client: checkedClient(client, `${where}: client`) } : {}),
  };
}

/** A client as the input gives it (a preset's name, or JSON of a preset with options), or a ConnectorInputError. */
export function checkedClient(client: unknown, what: string): McpClient {
  const problems = clientProblems(client);
  if (problems.length === 0) return client as McpClient;
  throw new ConnectorInputError(problems.map((problem) => describeProblem(what, problem)).join("; "));
}

/** A lifetime in seconds: a positive whole number. */
function isSeconds(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}

function field(value: Record<string, unknown>, names: readonly string[]): unknown {
  for (const name of names) if (name in value) return value[name];
  return undefined;
}
