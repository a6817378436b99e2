// The public shapes of the connector verifier: what it takes, what it reports. Plain TypeScript, no Pulumi.

/** Claude's OAuth callbacks; the tenant's application must accept both. */
export const CLAUDE_REDIRECT_URIS = [
  "https://claude.ai/api/mcp/auth_callback",
  "https://claude.com/api/mcp/auth_callback",
] as const;

/** The emulator's test user, logged in by `--login` when no credentials are given. */
export const EMULATOR_TEST_USER: LoginCredentials = {
  username: "test.user@example.com",
  password: "emulator-password",
};

/** Every step of a verification, in the order they run. */
export const STEP_IDS = [
  "mcp-url",
  "mcp-url-trailing-slash",
  "mcp-no-redirect",
  "mcp-401-challenge",
  "resource-metadata-url",
  "protected-resource-metadata",
  "path-specific-resource-metadata",
  "authorization-servers",
  "authorization-server-metadata",
  "authorization-code-grant",
  "pkce-s256",
  "client-id-accepted",
  "redirect-uri-claude-ai",
  "redirect-uri-claude-com",
  "client-secret",
  "login",
  "token-exchange",
  "access-token-jwt",
  "access-token-signature",
  "mcp-initialize",
  "mcp-tools-list",
  "refresh-token",
] as const;

/** The name of one step. */
export type StepId = (typeof STEP_IDS)[number];

/** pass: checked and fine. warn: fine for Claude but worth knowing. fail: Claude's connector breaks here. skip: not run. */
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
  /** The Remote MCP server URL as given. */
  mcpUrl: string;
  /** The OAuth client id (an identifier, not a secret). */
  clientId: string;
  /** True when no step failed (warnings and skips allowed). */
  ok: boolean;
  /** One result per step, in STEP_IDS order. */
  steps: StepResult[];
}

/** The four fields of Claude's "Add custom connector" form (the component's outputs). */
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
}

/** A user of the tenant that `login` signs in without a browser (HTTP Basic on the authorize request). */
export interface LoginCredentials {
  /** The user's name (an email on Alation). */
  username: string;
  /** The user's password. Never printed. */
  password: string;
}

/** A fetch function: the global one or a test double. */
export type FetchFn = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** How to verify. */
export interface VerifyOptions {
  /**
   * Complete a real authorization (code + PKCE), token exchange, MCP calls and a refresh.
   * `true` logs in the emulator's test user; credentials log in that user.
   */
  login?: boolean | LoginCredentials;
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
