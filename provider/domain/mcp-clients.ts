// The MCP clients a connector is made for, in one table: each preset's options and their rules, the OAuth callbacks
// its application registers, its clientConfig's format, and the source of each fact. AlationMcpConnector, the
// verifier (`--client`) and the README (tests/docs/mcp-clients.test.ts) read it; so does the hint added to a tenant's
// refusal of a private-use callback scheme (privateUseRefusalHint, for Cursor's). No Pulumi, no HTTP.
import { isStoreError } from "./application-store";
import { CLAUDE_REDIRECT_URIS } from "./claude-connector";
import { CLAUDE_WIZARD_SOURCES } from "./claude-wizard";
import * as formats from "./mcp-client-configs";
import type { ClientConfigFormat } from "./mcp-client-configs";
import { redirectUriProblem } from "./urls";

/** The presets, by name. */
export const MCP_CLIENT_PRESETS = [
  "claude",
  "claude-code",
  "vscode",
  "cursor",
  "gemini-cli",
  "mcp-inspector",
  "chatgpt",
] as const;
export type McpClientPreset = (typeof MCP_CLIENT_PRESETS)[number];

/** A preset with its options, as plain values. */
export type McpClientWithOptions =
  | { preset: "claude" | "vscode" | "mcp-inspector" }
  | { preset: "claude-code"; callbackPort?: number }
  | { preset: "cursor"; customSchemeCallback?: boolean }
  | { preset: "gemini-cli"; redirectUri?: string }
  | { preset: "chatgpt"; callbackUri: string };

/** A client as plain values: a preset's name, a preset with options, or the application's redirect URIs. */
export type McpClient = McpClientPreset | McpClientWithOptions | { redirectUris: string[] };

/** A client's key: its preset's name, or "custom" for one given by its redirect URIs. */
export function clientKeyOf(
  client: McpClientPreset | { preset: McpClientPreset } | object,
): McpClientPreset | "custom" {
  if (typeof client === "string") return client;
  return "preset" in client ? (client as { preset: McpClientPreset }).preset : "custom";
}

type OptionValue = string | number | boolean;

/** One option of a preset. */
export interface PresetOption {
  /** Its default; none: the option is required. */
  default?: OptionValue;
  /** Why `value` is refused, as the end of a sentence that starts with the option's name; undefined if fine. */
  problem(value: unknown): string | undefined;
  /** What the README's table writes for it in the callbacks: a placeholder, or the default. */
  shownAs: OptionValue;
}

/** One row of the table. */
export interface PresetDefinition {
  /** The client, as people name it. */
  title: string;
  options: Readonly<Record<string, PresetOption>>;
  /** The callbacks its application registers (`tenantOrigin` undefined: the client's own only). */
  callbacks(options: Readonly<Record<string, OptionValue>>, tenantOrigin?: string): string[];
  /** Where the callbacks come from. */
  callbackSource: string;
  /** What its clientConfig is. */
  config: ClientConfigFormat;
  /** Where the format comes from. */
  configSource: string;
  /** For a tenant that refuses the private-use scheme of a callback: the client option that leaves it out. */
  privateUseFix?: string;
}

/** A port a client listens on: not a privileged one. */
const port = (value: unknown) =>
  Number.isInteger(value) && (value as number) >= 1024 && (value as number) <= 65535
    ? undefined
    : "must be a whole number from 1024 to 65535";

/** A redirect URI of the user's: Alation's rule (urls.ts). */
export const redirectUriOptionProblem = (value: unknown) => {
  if (typeof value !== "string") return "must be a string (a redirect URI)";
  const problem = redirectUriProblem(value);
  return problem ? `is refused: ${problem}` : undefined;
};

/** ChatGPT's per-app callback: https on chatgpt.com, as ChatGPT shows it when the app is created. */
const chatgptCallback = (value: unknown) => {
  const problem = redirectUriOptionProblem(value);
  if (problem) return problem;
  const url = new URL(value as string);
  if (url.protocol === "https:" && url.hostname === "chatgpt.com" && !url.search) return undefined;
  return "must be the callback ChatGPT shows when the app is created (https://chatgpt.com/connector/oauth/...)";
};

export const MCP_CLIENT_TABLE: Readonly<Record<McpClientPreset, PresetDefinition>> = {
  claude: {
    title: "Claude (web, desktop, mobile)",
    options: {},
    callbacks: (_options, origin) =>
      origin ? [`${origin}/oauth/callback`, ...CLAUDE_REDIRECT_URIS] : [...CLAUDE_REDIRECT_URIS],
    callbackSource: "Alation's connector guide for Claude of 2025-12-10 (Claude's two callbacks and the tenant's)",
    config: formats.CLAUDE_WIZARD_FIELDS,
    configSource: `Claude's Add custom connector wizard (${CLAUDE_WIZARD_SOURCES.wizard})`,
  },
  "claude-code": {
    title: "Claude Code",
    // 3118: the port Claude's own plugins pin (anthropics/claude-plugins-official, the Slack plugin's .mcp.json);
    // without --callback-port Claude Code picks a random one, which no pre-registered application can list.
    options: { callbackPort: { default: 3118, problem: port, shownAs: "<callbackPort>" } },
    // The host differs between releases: `localhost` (anthropics/claude-code issue 66511), `127.0.0.1` in later ones
    // (issue 86233). Both are this machine (RFC 8252 section 7.3): both are registered.
    callbacks: (o) => [`http://localhost:${o.callbackPort}/callback`, `http://127.0.0.1:${o.callbackPort}/callback`],
    callbackSource: "anthropics/claude-code issues 66511 (only the port is configurable) and 86233 (127.0.0.1)",
    config: formats.CLAUDE_CODE_COMMAND,
    configSource:
      "code.claude.com/docs/en/mcp, Use pre-configured OAuth credentials (quoted in anthropics/claude-code issue " +
      "52620); --client-id and --client-secret since 2.1.30 (issue 22909)",
  },
  vscode: {
    title: "VS Code (GitHub Copilot)",
    options: {},
    callbacks: () => [
      "https://vscode.dev/redirect",
      "https://insiders.vscode.dev/redirect",
      "http://127.0.0.1:33418/",
      "http://localhost:33418/",
    ],
    callbackSource: "microsoft/vscode issue 278512",
    config: formats.VSCODE_MCP_JSON,
    configSource: "microsoft/vscode pull request 308648 (oauth.clientId); the secret prompt: pull request 255633",
  },
  cursor: {
    title: "Cursor",
    options: {
      customSchemeCallback: {
        default: true,
        problem: (value) => (typeof value === "boolean" ? undefined : "must be true or false"),
        shownAs: true,
      },
    },
    // Sources conflict: Cursor's MCP docs name the private-use scheme (makeplane/plane-mcp-server issue 159 quotes
    // them); current desktop releases also call back on a loopback port (erp-mafia/accounted pull request 2225, the
    // idealo MCP auth proxy's README). Whether Alation accepts `cursor://` is not documented: the tenant decides.
    callbacks: (o) => [
      ...(o.customSchemeCallback ? ["cursor://anysphere.cursor-mcp/oauth/callback"] : []),
      "http://localhost:8787/callback",
    ],
    callbackSource:
      "Cursor's MCP docs (cursor.com/docs/mcp, quoted in makeplane/plane-mcp-server issue 159); " +
      "erp-mafia/accounted pull request 2225 (the loopback callback)",
    config: formats.CURSOR_MCP_JSON,
    privateUseFix:
      'client: { preset: "cursor", customSchemeCallback: false } (Cursor releases that call back on cursor:// ' +
      "then cannot sign in to this tenant)",
    configSource: "Cursor's MCP docs, static OAuth (cursor.com/docs/mcp, quoted in docs.pipeshub.com/mcp/cursor)",
  },
  "gemini-cli": {
    title: "Gemini CLI",
    options: {
      redirectUri: {
        default: "http://localhost:7777/oauth/callback",
        problem: redirectUriOptionProblem,
        shownAs: "http://localhost:7777/oauth/callback",
      },
    },
    callbacks: (o) => [String(o.redirectUri)],
    callbackSource: "google-gemini/gemini-cli docs/tools/mcp-server.md (oauth.redirectUri and its default)",
    config: formats.GEMINI_SETTINGS_JSON,
    configSource: "google-gemini/gemini-cli docs/tools/mcp-server.md (mcpServers, oauth)",
  },
  "mcp-inspector": {
    title: "MCP Inspector",
    options: {},
    callbacks: () => ["http://localhost:6274/oauth/callback", "http://localhost:6274/oauth/callback/debug"],
    callbackSource:
      "modelcontextprotocol/inspector client/src/components/Sidebar.tsx (the Redirect URL) and its guided OAuth " +
      "flow (/oauth/callback/debug)",
    config: formats.INSPECTOR_SETTINGS,
    configSource: "modelcontextprotocol/inspector client/src/components/Sidebar.tsx; issue 683 (client id and secret)",
  },
  chatgpt: {
    title: "ChatGPT",
    options: {
      callbackUri: { problem: chatgptCallback, shownAs: "https://chatgpt.com/connector/oauth/<callback_id>" },
    },
    callbacks: (o) => [String(o.callbackUri)],
    callbackSource:
      "makeplane/plane-mcp-server pull request 165 and elastic/docs-content pull request 7733 (one callback per app, " +
      "shown when the app is created)",
    config: formats.CHATGPT_APP_FORM,
    configSource: "elastic/docs-content pull request 7733 (Settings > Apps > Create, in developer mode)",
  },
};

/** The scheme of a redirect URI that is neither https nor http (RFC 8252 section 7.1's private-use schemes). */
function privateUseScheme(uri: string): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1].toLowerCase();
  return scheme && scheme !== "http" && scheme !== "https" ? scheme : undefined;
}

/**
 * When a tenant refuses an application whose redirect URIs hold a private-use scheme (`cursor://`), what to add to
 * its refusal: no Alation document says whether such callbacks are accepted, so the tenant decides, and its refusal
 * should say that, and what to do. Undefined when `error` is no such refusal.
 */
export function privateUseRefusalHint(error: unknown, redirectUris: readonly string[]): string | undefined {
  if (!isStoreError(error) || error.failure !== "validation") return undefined;
  if (!error.fieldErrors?.redirect_uris && !/redirect/i.test(error.message)) return undefined;
  const refused = redirectUris.filter((uri) => privateUseScheme(uri) !== undefined);
  if (refused.length === 0) return undefined;
  const schemes = [...new Set(refused.map((uri) => `${privateUseScheme(uri)}://`))].join(", ");
  const fixes = Object.values(MCP_CLIENT_TABLE)
    .filter((row) => row.privateUseFix && refused.some((uri) => row.callbacks(defaultsOf(row.options)).includes(uri)))
    .map((row) => `for ${row.title}, ${row.privateUseFix}`);
  return (
    `the tenant refused redirect URIs with a private-use scheme (${schemes}); no Alation document says whether ` +
    `a tenant accepts such callbacks, and this one does not: register only https and loopback callbacks` +
    (fixes.length ? `: ${fixes.join("; ")}` : "")
  );
}

function defaultsOf(options: (typeof MCP_CLIENT_TABLE)[McpClientPreset]["options"]) {
  return Object.fromEntries(Object.entries(options).map(([name, option]) => [name, option.default ?? option.shownAs]));
}
