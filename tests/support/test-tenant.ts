// An emulated tenant for tests and the benchmark: started in-process on a free loopback port, called over real HTTP
// (its admin API, OAuth endpoints and test hooks), stopped with its own connection pool. One started during a test
// (or its beforeEach) is stopped when the test ends (test-scope.ts); one started in `before` lives until `after`.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent, fetch } from "undici";
import {
  CLIENTS_PREFIX,
  startEmulator,
  withApiNames,
  type ApiGeneration,
  type EmulatorOptions,
  type RunningEmulator,
} from "../../emulator";
import { DEFAULT_TEST_USER } from "../../emulator/tenant";
import { guideClient } from "./connector-guide";
import { stopWhenTestEnds } from "./test-scope";

export const ADMIN_TOKEN = "test-admin-token";
/** The tenant's one user, a Server Admin. */
export const TEST_USER = DEFAULT_TEST_USER;
/** Generation A's clients path (the emulator's default generation); `TestTenant.clientsPath` is the tenant's own. */
export const CLIENTS_PATH = CLIENTS_PREFIX.a;
export const JWT_FLAG = "alation.feature_flags.enable_jwt_in_v1_oauth_stack";

/** An answer, with its body as text and (when it parses) as JSON. */
export interface Answer {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface CallOptions {
  /** Header TOKEN; default the tenant's admin token. Null sends none. */
  token?: string | null;
  json?: unknown;
  form?: Record<string, string>;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

/** The tenant as the state hook shows it. */
export interface TenantStateView {
  clients: Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  serviceAccounts: Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  conf: Record<string, string>;
}

/** A client of the admin API or a service account, as made: with its secret. */
export type MadeClient = { client_id: string; client_secret: string; [k: string]: unknown };

/** A started emulator plus call helpers. */
export class TestTenant {
  /** A connection pool of its own, closed with the tenant: no pooled socket outlives a restart on the same port. */
  private readonly agent = new Agent({ keepAliveTimeout: 1000 });
  private serviceAccounts = 0;
  private stopped: Promise<void> | undefined;

  /** The generation of the client admin API its calls use: B only where the tenant serves B alone. */
  readonly generation: ApiGeneration;

  constructor(
    readonly emulator: RunningEmulator,
    options: Partial<EmulatorOptions> = {},
  ) {
    this.generation = options.apiGeneration === "b" ? "b" : "a";
  }

  get url(): string {
    return this.emulator.url;
  }

  /** Where this tenant serves its clients. */
  get clientsPath(): string {
    return CLIENTS_PREFIX[this.generation];
  }

  /** A client body given in the model's (generation A's) field names, in this tenant's generation's names. */
  clientBody(modelNamed: Record<string, unknown>): Record<string, unknown> {
    return withApiNames(this.generation, modelNamed);
  }

  async call(method: string, urlPath: string, options: CallOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? this.emulator.adminToken : options.token;
    if (token !== null) headers.TOKEN = token;
    let body: string | Buffer | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["Content-Type"] = headers["Content-Type"] ?? "application/json";
    } else if (options.form !== undefined) {
      body = new URLSearchParams(options.form).toString();
      headers["Content-Type"] = "application/x-www-form-urlencoded";
    }
    const response = await fetch(this.url + urlPath, {
      method,
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(10000),
      dispatcher: this.agent,
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /** Creates a client through the admin API; returns its answer body (with the secret). */
  async createClient(
    overrides: Record<string, unknown> = {},
  ): Promise<{ client_id: string; client_secret: string; [k: string]: unknown }> {
    const answer = await this.call("POST", this.clientsPath, { json: this.clientBody(guideClient(overrides)) });
    if (answer.status !== 201) throw new Error(`create failed: ${answer.status} ${answer.text}`);
    return answer.json;
  }

  /**
   * Makes a service account through the test hook that stands for Alation's `/admin/auth/` page: by default a Server
   * Admin's, with a one-hour token. Returns its record with the secret.
   */
  async createServiceAccount(overrides: Record<string, unknown> = {}): Promise<MadeClient> {
    const name = `service-account-${++this.serviceAccounts}`;
    const body = { name, role: "SERVER_ADMIN", token_duration: 3600, ...overrides };
    const answer = await this.call("POST", "/__emulator/service-accounts", { json: body });
    if (answer.status !== 201) throw new Error(`making a service account failed: ${answer.status} ${answer.text}`);
    return answer.json;
  }

  /** The tenant as the state hook shows it. */
  async state(): Promise<TenantStateView> {
    return (await this.call("GET", "/__emulator/state")).json;
  }

  async setJwtFlag(on: boolean): Promise<void> {
    const answer = await fetch(`${this.url}/__emulator/shell/conf/${JWT_FLAG}`, {
      method: "PUT",
      dispatcher: this.agent,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ value: on ? "True" : "False" }),
    });
    if (answer.status !== 200) throw new Error(`setting the flag failed: ${answer.status}`);
  }

  /** Stops the emulator and closes the pool; once, however often it is called. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      await this.emulator.stop();
      await this.agent.close();
    })();
    return this.stopped;
  }
}

/**
 * The emulator's options of a test tenant: the emulator's defaults, except that `/ai/mcp` is answered directly
 * (TEST_TENANT_DEFAULTS), so that connectors verify as they would on a tenant that answers Claude's slash-less call.
 * Whether Alation does is unknown (alation-api.md section 8); with the emulator's default (a 307),
 * `alation-connector verify` fails its mcp-url-without-slash step, which tests/verify runs on purpose.
 */
export const TEST_TENANT_DEFAULTS: Partial<EmulatorOptions> = { mcpWithoutSlash: "answer" };

export async function startTestTenant(options: Partial<EmulatorOptions> = {}): Promise<TestTenant> {
  const emulator = await startEmulator({ adminToken: ADMIN_TOKEN, ...TEST_TENANT_DEFAULTS, ...options });
  return stopWhenTestEnds(new TestTenant(emulator, options));
}

/** A fresh temporary folder (a tenant's data dir, say), removed by the returned function. */
export function tempDir(prefix = "alation-emulator-test-"): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the authorization-code + PKCE flow with plain HTTP (login by login_hint + emulator_password). */
export async function userTokens(
  tenant: TestTenant,
  client: { client_id: string; client_secret: string },
): Promise<{ access_token: string; refresh_token: string }> {
  const verifier = crypto.randomBytes(32).toString("base64url");
  const challenge = crypto.createHash("sha256").update(verifier).digest("base64url");
  const redirectUri = "https://claude.ai/api/mcp/auth_callback";
  const query = new URLSearchParams({
    response_type: "code",
    client_id: client.client_id,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: "S256",
    login_hint: TEST_USER.username,
    emulator_password: TEST_USER.password,
  });
  const authorize = await tenant.call("GET", `/oauth/v1/authorize/?${query}`, { token: null });
  const code = new URL(authorize.headers.get("location") ?? "http://x/").searchParams.get("code");
  if (!code) throw new Error(`authorize gave no code: ${authorize.status} ${authorize.text}`);
  const token = await tenant.call("POST", "/oauth/v1/token/", {
    token: null,
    form: {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      client_id: client.client_id,
      client_secret: client.client_secret,
    },
  });
  if (token.status !== 200) throw new Error(`token exchange failed: ${token.status} ${token.text}`);
  return token.json;
}
