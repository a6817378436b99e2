// The emulator's public option and handle types (re-exported by index.ts).

/** How to start an emulated Alation tenant. */
export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Folder that holds the tenant's state across restarts; in memory when absent. */
  dataDir?: string;
  /** Accepted as a Server Admin's API access token (header `TOKEN`), and required by the `/__emulator/` hooks. */
  adminToken: string;
  /**
   * Which generation of the OAuth client admin API the tenant serves (../shared/alation-api.md section 2): `a`
   * (`/integration/core/v1/oauth/clients/`, `*_expiry`, `pkce_required`; the default), `b`
   * (`/integration/core/v1/clients/`, `*_lifetime`, `pkce_enabled`) or `both`. The other generation's paths answer
   * Django's HTML 404 page.
   */
  apiGeneration?: ApiGenerationMode;
  /**
   * Serve the tenant's OpenAPI document at `/openapi/oauth2/` (default true; tenants from 2025.3.3 do). False: that
   * path answers Django's 404 page, as an older tenant's would.
   */
  openApi?: boolean;
  /**
   * Only what Alation's API docs name: the undocumented GET of one OAuth client and of the list answer 405, as a real
   * tenant may, and generation B serves no secret rotation (its docs name none: 404).
   */
  documentedOnly?: boolean;
  /**
   * The admin API knows only the documented client fields: a body with any other field (`jwt_required`,
   * `is_active`, `internal_application`, the other generation's names) gets a 400 naming them, and answers leave
   * those fields out.
   */
  strictFields?: boolean;
  /**
   * The admin API accepts only http and https redirect URIs, as Django's URLValidator does with its default schemes:
   * a private-use scheme (`cursor://...`) gets a 400 naming redirect_uris. Whether Alation accepts such schemes is
   * not documented; by default the emulator does (its API doc names no scheme rule but http's).
   */
  webRedirectUrisOnly?: boolean;
  /**
   * Whether the v1 OAuth stack needs `alation.feature_flags.enable_jwt_in_v1_oauth_stack` to issue JWT access
   * tokens: `required` (the default, as the connector guide of 2025-12-10 has it) or `optional` (JWTs whatever the
   * flag, as Alation's later guides have it).
   */
  jwtFlag?: JwtFlagMode;
  /**
   * How `/ai/mcp` (the MCP URL without its trailing slash, which Claude calls: anthropics/claude-ai-mcp issues 234
   * and 1056) is answered: `redirect` (the default, a 307 to `/ai/mcp/` as Django's APPEND_SLASH does) or `answer`
   * (served as `/ai/mcp/` is). What a real tenant does is unknown (../shared/alation-api.md sections 4 and 8).
   */
  mcpWithoutSlash?: McpWithoutSlashMode;
  /**
   * How the MCP endpoint answers a request without a token: `challenge` (the default, 401 with a Bearer challenge)
   * or `answer` (served, as an anonymous user: what Claude's wizard detects as Authentication "None"). Alation's
   * answer is undocumented (section 4); the default is the MCP authorization spec's.
   */
  mcpWithoutToken?: McpWithoutTokenMode;
  /**
   * The authorization server metadata advertises Client ID Metadata Documents
   * (`client_id_metadata_document_supported: true`; `none` is among its token endpoint's auth methods either way).
   * Advertised only: the emulator fetches no metadata document. Off by default: no Alation source mentions CIMD.
   */
  advertiseCimd?: boolean;
  /**
   * The authorization server metadata names a `registration_endpoint` (dynamic client registration). Advertised
   * only: nothing registers there (404). Off by default: Alation has no DCR (vscode.mdx, section 4).
   */
  advertiseDcr?: boolean;
  /** Faults to inject from the start (the `/__emulator/faults` hook changes them later). */
  faults?: FaultOptions;
  /** The tenant's one user, a Server Admin; default test.user@example.com / emulator-password. */
  testUser?: { username: string; password: string };
  /** Receives one line per request and lifecycle event; never a secret. */
  log?: (line: string) => void;
  /**
   * A request (headers and body) must arrive within this many ms, else 408 and the connection closes; once arrived,
   * it is answered within as many ms, else 503. Default 30000.
   */
  requestTimeoutMs?: number;
}

/** A generation of the OAuth client admin API. */
export type ApiGeneration = "a" | "b";
/** See EmulatorOptions.apiGeneration. */
export type ApiGenerationMode = ApiGeneration | "both";
export const API_GENERATION_MODES: readonly ApiGenerationMode[] = ["a", "b", "both"];

/** See EmulatorOptions.jwtFlag. */
export type JwtFlagMode = "required" | "optional";
export const JWT_FLAG_MODES: readonly JwtFlagMode[] = ["required", "optional"];

/** See EmulatorOptions.mcpWithoutSlash. */
export type McpWithoutSlashMode = "redirect" | "answer";
export const MCP_WITHOUT_SLASH_MODES: readonly McpWithoutSlashMode[] = ["redirect", "answer"];

/** See EmulatorOptions.mcpWithoutToken. */
export type McpWithoutTokenMode = "challenge" | "answer";
export const MCP_WITHOUT_TOKEN_MODES: readonly McpWithoutTokenMode[] = ["challenge", "answer"];

/** The kinds of fault the emulator can inject. */
export type FaultKind = "500" | "502" | "503" | "429" | "drop" | "drop-after-write" | "latency";

/** Fault injection: reproducible from the seed, applied only to requests whose "METHOD /path" matches `routes`. */
export interface FaultOptions {
  /** Seed of the pseudo-random choice; the same seed and request sequence give the same faults. Default 1. */
  seed?: number;
  /** Share of the matching requests that get a fault, 0..1. Default 0 (no faults). */
  rate?: number;
  /** Kinds to choose from, uniformly. Default: all but "latency". */
  kinds?: FaultKind[];
  /** Retry-After of the 429 answers, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** Delay of a "latency" fault, in ms. Default 250. */
  latencyMs?: number;
  /** Regular expression on "METHOD /path"; default: the OAuth client admin API routes. */
  routes?: string;
}

/** A started emulator. */
export interface RunningEmulator {
  /** Base URL, http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  /** The admin token it accepts. */
  adminToken: string;
  /** Stops serving, closes open connections and waits until every accepted change is on disk. */
  stop(): Promise<void>;
}
