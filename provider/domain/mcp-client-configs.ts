// What each MCP client is given, in its own format: the `clientConfig` of an AlationMcpConnector. Plain functions of
// plain values (no Pulumi): the component resolves the values and marks the result a secret when it holds the client
// secret. Which preset uses which format, and the sources, are in the preset table (mcp-clients.ts).
import { WIZARD_FORMAT } from "./claude-wizard";
import { AUTHORIZE_PATH, TOKEN_PATH } from "./urls";

/** The values a client's configuration is made of. */
export interface ClientConfigFields {
  /** The server's key in a configuration file or command (`alation`): see serverNameOf. */
  serverName: string;
  /** The connector's display name (Claude's Name field, ChatGPT's app name). */
  connectorName: string;
  /** The Remote MCP server URL, `https://TENANT/ai/mcp/` (or a custom server's), with its trailing slash. */
  mcpUrl: string;
  /** The tenant, `https://TENANT`: where Alation's OAuth endpoints are. */
  tenantOrigin: string;
  clientId: string;
  /** Given only to the formats that hold it (`holdsSecret`); the others never see it. */
  clientSecret?: string;
  /** The callbacks the application registers for this client. */
  callbacks: readonly string[];
  /** The preset's options, defaults applied. */
  options: Readonly<Record<string, string | number | boolean>>;
}

/** One format of clientConfig. */
export interface ClientConfigFormat {
  /** What it is, as the README's table says it. */
  format: string;
  /** Whether it holds the client secret (the output is then a Pulumi secret). */
  holdsSecret: boolean;
  /** The configuration itself. */
  build(fields: ClientConfigFields): Record<string, unknown>;
}

/**
 * The server's key in configuration files and in `claude mcp add`: the connector name in lower case, runs of other
 * characters as one "-" (`Alation (acme)` -> `alation-acme`), so that it is a valid name everywhere; "alation" when
 * nothing is left.
 */
export function serverNameOf(connectorName: string): string {
  const slug = connectorName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "alation";
}

/** One word of a POSIX shell command: as is when it has no character a shell reads, else single-quoted. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`;
}

/**
 * A client configured through a form: its fields (`fieldsOf`), then the OAuth client's id and secret, which every
 * such form ends with; so the config holds the secret.
 */
function formOf(format: string, fieldsOf: (f: ClientConfigFields) => Record<string, unknown>): ClientConfigFormat {
  return {
    format,
    holdsSecret: true,
    build: (f) => ({ ...fieldsOf(f), clientId: f.clientId, clientSecret: f.clientSecret }),
  };
}

/** Any client given as explicit redirect URIs: the four fields of a connector form. */
export const FORM_FIELDS = formOf(
  "the connector form's four fields: `connectorName`, `remoteMcpServerUrl`, `clientId`, `clientSecret`",
  (f) => ({ connectorName: f.connectorName, remoteMcpServerUrl: f.mcpUrl }),
);

/**
 * Claude's "Add custom connector" wizard: the same four fields (so a stack sees the same clientConfig as before the
 * wizard), described by where each goes in the wizard.
 */
export const CLAUDE_WIZARD_FIELDS: ClientConfigFormat = { ...FORM_FIELDS, format: WIZARD_FORMAT };

/**
 * Claude Code: the `claude mcp add` command. The secret is never on the command line: `--client-secret` takes no
 * value, Claude Code asks for the secret with masked input (or reads `MCP_CLIENT_SECRET` from the environment) and
 * keeps it in the system keychain, not in its config.
 */
export const CLAUDE_CODE_COMMAND: ClientConfigFormat = {
  format:
    "`command`: `claude mcp add --transport http --client-id ... --client-secret --callback-port ... NAME URL` " +
    "(no secret: paste `clientSecret` at its masked prompt, or set `MCP_CLIENT_SECRET`)",
  holdsSecret: false,
  build: (f) => {
    const words = ["claude", "mcp", "add", "--transport", "http", "--client-id", f.clientId, "--client-secret"];
    words.push("--callback-port", String(f.options.callbackPort), f.serverName, f.mcpUrl);
    return { command: words.map(shellWord).join(" ") };
  },
};

/**
 * VS Code: an entry of `mcp.json` (`servers`), with the pre-registered client id under `oauth`. VS Code asks for the
 * client secret when it signs in; the file never holds it.
 */
export const VSCODE_MCP_JSON: ClientConfigFormat = {
  format: "`mcp.json`: `servers.NAME` with `type`, `url`, `oauth.clientId` (VS Code asks for the secret)",
  holdsSecret: false,
  build: (f) => ({ servers: { [f.serverName]: { type: "http", url: f.mcpUrl, oauth: { clientId: f.clientId } } } }),
};

/** Cursor: an entry of `mcp.json` (`mcpServers`) with its static OAuth client in `auth`. */
export const CURSOR_MCP_JSON: ClientConfigFormat = {
  format: "`mcp.json`: `mcpServers.NAME` with `url`, `auth.CLIENT_ID`, `auth.CLIENT_SECRET`",
  holdsSecret: true,
  build: (f) => ({
    mcpServers: { [f.serverName]: { url: f.mcpUrl, auth: { CLIENT_ID: f.clientId, CLIENT_SECRET: f.clientSecret } } },
  }),
};

/** Gemini CLI: an entry of `settings.json` (`mcpServers`) with its `oauth` block. */
export const GEMINI_SETTINGS_JSON: ClientConfigFormat = {
  format:
    "`settings.json`: `mcpServers.NAME` with `httpUrl` and `oauth` (`enabled`, `clientId`, `clientSecret`, " +
    "`authorizationUrl`, `tokenUrl`, `redirectUri`)",
  holdsSecret: true,
  build: (f) => ({
    mcpServers: {
      [f.serverName]: {
        httpUrl: f.mcpUrl,
        oauth: {
          enabled: true,
          clientId: f.clientId,
          clientSecret: f.clientSecret,
          // Given explicitly: how Alation's MCP server answers without a token is not documented, so discovery from
          // its 401 cannot be relied on.
          authorizationUrl: `${f.tenantOrigin}${AUTHORIZE_PATH}`,
          tokenUrl: `${f.tenantOrigin}${TOKEN_PATH}`,
          redirectUri: f.options.redirectUri,
        },
      },
    },
  }),
};

/** The MCP Inspector: the fields of its connection sidebar (Transport Type, URL, Authentication > OAuth 2.0 Flow). */
export const INSPECTOR_SETTINGS = formOf(
  "the sidebar's fields: `transportType`, `url`, `clientId`, `clientSecret` (Authentication > OAuth 2.0 Flow)",
  (f) => ({ transportType: "Streamable HTTP", url: f.mcpUrl }),
);

/** ChatGPT: the fields of its app form (Settings > Apps > Create, in developer mode). */
export const CHATGPT_APP_FORM = formOf(
  "the app form's fields: `name`, `mcpServerUrl`, `authentication`, `clientId`, `clientSecret`",
  (f) => ({ name: f.connectorName, mcpServerUrl: f.mcpUrl, authentication: "OAuth" }),
);
