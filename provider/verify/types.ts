// The public shapes of the connector verifier: what it takes, what it reports. Plain TypeScript, no Pulumi.
import type { McpClient } from "../domain/mcp-clients";

/** How long `verify --login` waits for the browser to come back (`--login-timeout-ms`): five minutes. */
export const DEFAULT_LOGIN_TIMEOUT_MS = 300_000;

/** The step of another client's callbacks, in place of Claude's two. */
export const CLIENT_REDIRECT_STEP_ID: StepId = "redirect-uri-client";

/**
 * The name of one step, stable for CI and tests; in alphabetical order, as a name is all this says. The order in which
 * the steps run, and whose connectors each checks, is the table of steps: provider/verify/steps.ts.
 */
export type StepId =
  | "access-token-jwt"
  | "access-token-lifetime"
  | "access-token-signature"
  | "authorization-code-grant"
  | "authorization-server-metadata"
  | "authorization-servers"
  | "client-id-accepted"
  | "client-secret"
  | "client-secret-post"
  | "login"
  | "mcp-401-challenge"
  | "mcp-initialize"
  | "mcp-no-redirect"
  | "mcp-reachable"
  | "mcp-tools-list"
  | "mcp-url"
  | "mcp-url-trailing-slash"
  | "mcp-url-without-slash"
  | "path-specific-resource-metadata"
  | "pkce-s256"
  | "protected-resource-metadata"
  | "redirect-uri-claude-ai"
  | "redirect-uri-claude-com"
  | "redirect-uri-client"
  | "redirect-uri-loopback"
  | "refresh-token"
  | "resource-metadata-url"
  | "token-endpoint-tenant"
  | "token-exchange"
  | "wizard-authentication"
  | "wizard-oauth-client";

/**
 * pass: checked and fine. warn: fine for Claude but worth knowing. fail: Claude's connector breaks here. skip: not
 * run.
 */
export type StepStatus = "pass" | "warn" | "fail" | "skip";

/** One line of the checklist. Never holds a secret or a token. */
export interface StepResult {
  /** Stable name of the step (for CI and tests). */
  id: StepId;
  /** What the step checks, in a few words. */
  title: string;
  /** The verdict. */
  status: StepStatus;
  /** What was seen (or why the step was skipped). */
  detail?: string;
  /** For a failure or a warning: what is wrong. */
  cause?: string;
  /** For a failure or a warning: what to do about it. */
  fix?: string;
}

/** The verification of one connector. */
export interface VerifyReport {
  /** The tenant's name in the stack outputs, or the connector's name. */
  name?: string;
  /** The connector's Name, when the input gives it. */
  connectorName?: string;
  /** The Remote MCP server URL as given. */
  mcpUrl: string;
  /** The OAuth client id (an identifier, not a secret). */
  clientId: string;
  /** The MCP client whose callbacks were checked: a preset's name, or "custom". */
  client: string;
  /** True when no step failed (warnings and skips allowed). */
  ok: boolean;
  /** One result per step, in the order of the table of steps (stepIdsFor(client)). */
  steps: StepResult[];
}

/** The four fields of a connector (the component's outputs), and the client it is for. */
export interface ConnectorInput {
  /** A label for the report, e.g. the tenant's key in the stack outputs. */
  name?: string;
  /** Connector Name as shown in Claude (informational). */
  connectorName?: string;
  /** Remote MCP server URL, e.g. `https://TENANT/ai/mcp/`. */
  remoteMcpServerUrl: string;
  /** OAuth client id of the tenant's application. */
  clientId: string;
  /** OAuth client secret of the tenant's application. Never printed. */
  clientSecret: string;
  /**
   * The application's `accessTokenExpiry` in seconds, which the issued access token's lifetime is compared with.
   * Default: the component's default, 86400.
   */
  accessTokenExpiry?: number;
  /**
   * The MCP client the connector is for, as AlationMcpConnector's `client` takes it (plain values): its callbacks are
   * the ones the redirect-URI steps check. Default `"claude"`.
   */
  client?: McpClient;
}

/** A user of the emulator that `login` signs in without a browser (HTTP Basic on the authorize request). */
export interface LoginCredentials {
  /** The user's name (an email on Alation). */
  username: string;
  /** The user's password. Never printed. */
  password: string;
}

/**
 * The emulator's test user (emulator/tenant.ts DEFAULT_TEST_USER; provider/ never imports the emulator, so this is a
 * copy, which tests/verify/emulator.test.ts compares with it): `verify --emulator` logs it in without a browser, as
 * `npm start` does. Not a secret: the emulator's documented default.
 */
export const EMULATOR_TEST_USER: LoginCredentials = {
  username: "test.user@example.com",
  password: "emulator-password",
};

/** How `login: true` gets the user's browser to the authorize URL and waits for it to come back. */
export interface BrowserLoginOptions {
  /** Port of the loopback listener (default DEFAULT_CALLBACK_PORT); the application must list its redirect URI. */
  callbackPort?: number;
  /** How long to wait for the browser to come back, in milliseconds (default DEFAULT_LOGIN_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Opens the URL; false when no browser could be started. Default: `$BROWSER`, else the platform's opener. */
  open?: (url: string) => Promise<boolean>;
  /** Told the authorize URL before the browser opens, to print for a machine without one. */
  onUrl?: (url: string) => void;
  /** Where `$BROWSER` is read from (default process.env). */
  env?: Record<string, string | undefined>;
}

/** A fetch function: the global one or a test double. */
export type FetchFn = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** How to verify. */
export interface VerifyOptions {
  /**
   * Complete a real authorization (code + PKCE), token exchange, MCP calls and a refresh, as Claude does.
   * `true`: the user logs in through a browser (see `browser`) and the code comes back to the verifier's
   * loopback redirect URI. Credentials: the emulator only, that user logs in without a browser (HTTP Basic)
   * and the code goes to one of Claude's callbacks, where the verifier reads it off the redirect.
   */
  login?: boolean | LoginCredentials;
  /** How the browser login of `login: true` runs. */
  browser?: BrowserLoginOptions;
  /**
   * The tenant is the local emulator: http and any port are accepted on a loopback host, with a warning.
   * Without it, only https on port 443 passes, as Claude's backend requires.
   */
  emulator?: boolean;
  /** Bound of every HTTP call and MCP request, in milliseconds (default 10000). */
  timeoutMs?: number;
  /** The fetch to use (default: the global fetch). Redirects are never followed whatever it does. */
  fetch?: FetchFn;
}
