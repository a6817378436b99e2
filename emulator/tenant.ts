// One emulated tenant: its store, signing key, users, clock, and the short-lived things kept only in memory
// (authorization codes, login sessions, faults, request counts).
import { randomBytes, timingSafeEqual } from "node:crypto";
import { FaultPlan } from "./faults";
import { mcpPath } from "./mcp-paths";
import { SigningKey } from "./signing";
import { JWT_IN_V1_FLAG, confFlag } from "./conf";
import type { ClientRecord, ServiceAccountRecord, TenantStore } from "./store";
import type { EmulatorOptions } from "./types";

/** A user of the tenant. */
export interface TenantUser {
  id: number;
  username: string;
  password: string;
  /** Server Admins may call the admin API. */
  isServerAdmin: boolean;
}

/** An authorization code waiting to be exchanged (in memory: codes live a minute). */
export interface AuthorizationCode {
  clientId: string;
  redirectUri: string | undefined;
  codeChallenge: string | undefined;
  userId: number;
  scope: string;
  expiresAt: number;
  used: boolean;
  /** Tokens issued for this code, revoked if the code is replayed (RFC 6749 section 4.1.2). */
  issuedTokens: string[];
}

export const DEFAULT_TEST_USER = { username: "test.user@example.com", password: "emulator-password" };

/** Request counts for the `/__emulator/requests` hook. */
export interface RequestCounts {
  total: number;
  byRoute: Record<string, number>;
  connections: number;
}

export class Tenant {
  /** Base URL without a trailing slash; set once the server listens. */
  baseUrl = "";
  readonly users: TenantUser[];
  readonly codes = new Map<string, AuthorizationCode>();
  /** Login sessions: cookie value -> user id. */
  readonly sessions = new Map<string, number>();
  faults: FaultPlan;
  counts: RequestCounts = { total: 0, byRoute: {}, connections: 0 };
  /** Added to the wall clock (the `/__emulator/clock` hook), so tests can let codes and tokens expire. */
  clockOffsetMs = 0;

  constructor(
    readonly store: TenantStore,
    readonly signingKey: SigningKey,
    readonly options: EmulatorOptions,
  ) {
    const user = options.testUser ?? DEFAULT_TEST_USER;
    this.users = [{ id: 1, username: user.username, password: user.password, isServerAdmin: true }];
    this.faults = new FaultPlan(options.faults);
  }

  /** The tenant's time in epoch ms. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** The hosted MCP server's URL, the protected resource of RFC 9728. */
  get mcpUrl(): string {
    return this.baseUrl + mcpPath();
  }

  /** A person of the tenant, or the system user of a service account. */
  userById(id: number): TenantUser | undefined {
    const person = this.users.find((u) => u.id === id);
    if (person) return person;
    const account = Object.values(this.store.state.serviceAccounts).find((sa) => sa.user_id === id);
    return account ? systemUserOf(account) : undefined;
  }

  /** Whether `/oauth/v1/token/` issues JWT access tokens now (alation-api.md section 1, "What changed since"). */
  issuesUserJwts(): boolean {
    return this.options.jwtFlag === "optional" || confFlag(this.store.state.conf, JWT_IN_V1_FLAG);
  }

  /** The user with these credentials, if they are right. */
  login(username: string, password: string): TenantUser | undefined {
    const user = this.users.find((u) => u.username === username);
    return user && sameSecret(user.password, password) ? user : undefined;
  }

  isAdminToken(token: string): boolean {
    return sameSecret(this.options.adminToken, token);
  }

  log(line: string): void {
    this.options.log?.(line);
  }
}

/** The system user a service account acts as: it cannot log in (no password), and is a Server Admin by its role. */
export function systemUserOf(account: ServiceAccountRecord): TenantUser {
  const isServerAdmin = account.role === "SERVER_ADMIN";
  return { id: account.user_id, username: `${account.name} (service account)`, password: "", isServerAdmin };
}

/** Compares secrets in constant time. */
export function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A fresh random token, URL-safe (like Python's secrets.token_urlsafe). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** The OAuth application (admin API client) with this id, if any. */
export function findClient(tenant: Tenant, clientId: string | null): ClientRecord | undefined {
  const clients = tenant.store.state.clients;
  return clientId !== null && Object.prototype.hasOwnProperty.call(clients, clientId) ? clients[clientId] : undefined;
}
