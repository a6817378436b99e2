// Alation's OAuth client admin API as an ApplicationStore, in the generation the tenant serves: A,
// `/integration/core/v1/oauth/clients/`, or B, `/integration/core/v1/clients/` (tenant-api.ts). The API exists only on
// cloud-native Alation Cloud (../shared/alation-api.md section 2). B documents only its create: its item routes are
// assumed to be `{client_id}/` under its collection, as A's are, and its rotation `{client_id}/rotate-secret/`.
import { randomBytes } from "node:crypto";
import type {
  ApplicationFields,
  ApplicationLookup,
  ApplicationRecord,
  ApplicationStore,
  DeleteOutcome,
  SecretCheck,
} from "../domain/application-store";
import { TOKEN_PATH } from "../domain/urls";
import { AdminCalls } from "./admin-calls";
import {
  answerError,
  applicationFromAnswer,
  clientAnswerSchema,
  listedClientId,
  rotatedSecretAnswerSchema,
  shapeError,
} from "./answers";
import { authenticatorFor, type Authenticator } from "./auth";
import { isSuccess, listClients, ROUTE_NOT_SERVED, unsupported } from "./client-list";
import { failedIn } from "./errors";
import { send, type HttpTarget } from "./http";
import {
  credentialsOf,
  DEFAULT_RETRY_POLICY,
  DEFAULT_TIMEOUT_SECONDS,
  originOf,
  type ConnectionSettings,
  type RetryPolicy,
} from "./settings";
import { API_NOT_SERVED_HINT, clientApiOf, noRotationHint, requiredClientApi, type ClientApi } from "./tenant-api";
import { probeTenant } from "./tenant-probe";
import { DOCUMENTED_FIELDS, sendFields } from "./undocumented-fields";

/** Options of the REST client that are not part of a connection. */
export interface AlationClientOptions {
  /** Override parts of the retry policy (tests use short delays). */
  retry?: Partial<RetryPolicy>;
}

/**
 * The REST admin API of one tenant. `jwtRequired`, `isActive` and `internalApplication` are sent in bodies (a tenant
 * may accept them) but no API doc mentions them, so they are not in `enforcedFields`: callers count them as
 * enforced only when an answer echoes the requested value (undocumented-fields.ts).
 */
export class AlationClient implements ApplicationStore {
  readonly enforcedFields = DOCUMENTED_FIELDS;
  /** The tenant's origin. */
  readonly origin: string;
  private readonly target: HttpTarget;
  private readonly auth: Authenticator;
  private readonly calls: AdminCalls;

  constructor(settings: ConnectionSettings, options: AlationClientOptions = {}) {
    this.origin = originOf(settings.baseUrl);
    this.target = {
      origin: this.origin,
      caCertificate: settings.caCertificate,
      timeoutMs: (settings.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
      retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    };
    this.auth = authenticatorFor(this.target, credentialsOf(settings));
    this.calls = new AdminCalls(this.target, this.auth);
  }

  async create(fields: ApplicationFields): Promise<{ application: ApplicationRecord; clientSecret: string }> {
    const api = await requiredClientApi(this.target, this.calls);
    // Never repeated blindly: a create whose answer is lost may have happened (outcomeUnknown); the caller looks
    // the name up before trying again.
    const { answer, context } = await sendFields(
      this.calls,
      this.origin,
      { method: "POST", path: api.path, retry: "unsent-only", fieldNaming: api.fieldNaming },
      fields,
    );
    if (!isSuccess(answer)) {
      const hint = ROUTE_NOT_SERVED.has(answer.status) ? API_NOT_SERVED_HINT : undefined;
      throw answerError(context, answer, { outcomeUnknown: answer.status === 500 || answer.status >= 502, hint });
    }
    const parsed = clientAnswerSchema.safeParse(answer.json);
    if (!parsed.success || !parsed.data.client_secret) {
      throw shapeError(context, answer, "a client with its client_id and client_secret", {
        outcomeUnknown: true,
        hint: "the client may have been created",
      });
    }
    return { application: applicationFromAnswer(parsed.data), clientSecret: parsed.data.client_secret };
  }

  /**
   * Reads one client. How "route not served" is told from "client gone":
   * - the item route answers 405 or 501, or answers 200 with something that is not a client (a web page): the
   *   tenant does not serve GET here -> unsupported;
   * - the item route answers 404: that is either a missing client or a route the tenant does not serve, so the
   *   list route decides: if it serves a list, the client is found in it or is gone; if it does not serve a list
   *   (404/405/501 or not a list), the 404 is ambiguous -> unsupported (never "gone": that would drop a live client
   *   from state).
   */
  async get(clientId: string): Promise<ApplicationLookup> {
    const api = await clientApiOf(this.target, this.calls);
    if (!api) return unsupported(API_NOT_SERVED_HINT);
    const { answer, context } = await this.calls.call("GET", itemPath(api, clientId), { retry: "idempotent" });
    if (isSuccess(answer)) {
      const parsed = clientAnswerSchema.safeParse(withClientId(answer.json, clientId));
      if (parsed.success) return { status: "found", application: applicationFromAnswer(parsed.data) };
      return unsupported(`GET ${api.path}{client_id}/ answers ${answer.status} without a client`);
    }
    if (answer.status === 405 || answer.status === 501) {
      return unsupported(`GET ${api.path}{client_id}/ answers ${answer.status}`);
    }
    if (answer.status !== 404) throw answerError(context, answer);
    const listed = await listClients(this.calls, this.origin, api, (item) => listedClientId(item) === clientId);
    if (listed.status === "unsupported") return listed;
    const application = listed.applications.find((candidate) => candidate.clientId === clientId);
    return application ? { status: "found", application } : { status: "gone" };
  }

  async findByName(name: string): Promise<ApplicationLookup> {
    const api = await clientApiOf(this.target, this.calls);
    if (!api) return unsupported(API_NOT_SERVED_HINT);
    const listed = await listClients(this.calls, this.origin, api, (item) => item.name === name);
    if (listed.status === "unsupported") return listed;
    const application = listed.applications.find((candidate) => candidate.name === name);
    return application ? { status: "found", application } : { status: "gone" };
  }

  async listNames(): Promise<ReadonlySet<string> | undefined> {
    const api = await clientApiOf(this.target, this.calls);
    const names: unknown[] = [];
    const pickNone = (item: Record<string, unknown>) => {
      names.push(item.name);
      return false;
    };
    const listed = api && (await listClients(this.calls, this.origin, api, pickNone));
    const told = listed?.status === "listed" && listed.complete && names.every((name) => typeof name === "string");
    return told ? new Set(names as string[]) : undefined;
  }

  async update(clientId: string, changes: Partial<ApplicationFields>): Promise<ApplicationRecord> {
    const api = await requiredClientApi(this.target, this.calls);
    const { answer, context } = await sendFields(
      this.calls,
      this.origin,
      { method: "PATCH", path: itemPath(api, clientId), retry: "idempotent", fieldNaming: api.fieldNaming },
      changes,
    );
    if (!isSuccess(answer)) throw answerError(context, answer);
    // A 200 normally echoes the client; a bare 204 or an echo without some fields is tolerated.
    const parsed = clientAnswerSchema.safeParse(withClientId(answer.json ?? {}, clientId));
    return parsed.success ? applicationFromAnswer(parsed.data) : { clientId };
  }

  async rotateSecret(clientId: string): Promise<string> {
    const api = await requiredClientApi(this.target, this.calls);
    // Repeating a rotation whose answer was lost is harmless: the newest secret is the one returned.
    const { answer, context } = await this.calls.call("POST", `${itemPath(api, clientId)}rotate-secret/`, {
      retry: "idempotent",
    });
    // No rotation route: 405 or 501, or a 404 that is Django's page for a path it does not route (a missing client
    // is DRF's 404 in JSON). Generation B documents no rotation at all (alation-api.md section 2).
    const noRoute = answer.status === 405 || answer.status === 501 || (answer.status === 404 && !answer.json);
    if (!isSuccess(answer)) throw answerError(context, answer, { hint: noRoute ? noRotationHint(api) : undefined });
    const parsed = rotatedSecretAnswerSchema.safeParse(answer.json);
    if (!parsed.success) throw shapeError(context, answer, "a new client_secret");
    return parsed.data.client_secret;
  }

  async delete(clientId: string, options: { expectedSecret?: string } = {}): Promise<DeleteOutcome> {
    if (options.expectedSecret !== undefined) {
      // One token-endpoint request that a user would not connect with a delete: its failure says what it was.
      const check = await this.checkSecret(clientId, options.expectedSecret).catch((error: unknown) => {
        const step = `the ownership check of application ${clientId} (does its recorded secret work at ${TOKEN_PATH}?)`;
        throw failedIn(error, `Not deleted: ${step}`);
      });
      if (check.status !== "works") {
        const lookup = await this.get(clientId);
        if (lookup.status === "gone") return { status: "gone" };
        const inactive = lookup.status === "found" && lookup.application.isActive === false;
        return { status: "kept", reason: `${check.reason}${inactive ? "; the application is inactive" : ""}` };
      }
    }
    const api = await requiredClientApi(this.target, this.calls);
    const { answer, context } = await this.calls.call("DELETE", itemPath(api, clientId), { retry: "idempotent" });
    if (isSuccess(answer)) return { status: "deleted" };
    // 404: gone already, e.g. a retry of a lost answer: A's DELETE is documented, so its 404 is about the client; B's
    // is assumed, so only a 404 in JSON (DRF's) says so, not Django's page for a path it does not route.
    if (answer.status === 404 && (api.generation === "a" || answer.json !== undefined)) return { status: "gone" };
    throw answerError(context, answer);
  }

  /**
   * Whether `clientSecret` proves to be the client's secret. Sends a made-up authorization code with the client's
   * credentials in the body (as Claude does): a token endpoint authenticates
   * the client before it looks at the code (RFC 6749 section 5.2; oauthlib and the emulator do so), so
   * `invalid_grant` (or `unauthorized_client`) means the secret works and `invalid_client` that it does not. Any
   * other answer proves nothing (a delete counts that as a refusal: better an application left in place than one
   * lost). Changes nothing in the tenant; a tenant in trouble (5xx, 429, no answer) fails the call, to be run again.
   */
  async checkSecret(clientId: string, clientSecret: string): Promise<SecretCheck> {
    await probeTenant(this.target);
    const secrets = [...this.auth.secrets(), clientSecret];
    // A made-up code (43 characters) and verifier (85: RFC 7636 asks 43 to 128), from one draw of 96 random bytes.
    const made = randomBytes(96).toString("base64url");
    const answer = await send(this.target, {
      method: "POST",
      path: TOKEN_PATH,
      form: {
        grant_type: "authorization_code",
        code: made.slice(0, 43),
        code_verifier: made.slice(43),
        client_id: clientId,
        client_secret: clientSecret,
      },
      retry: "idempotent",
      secrets,
    });
    const error = (answer.json as { error?: unknown } | undefined)?.error;
    if (error === "invalid_grant" || error === "unauthorized_client") return { status: "works" };
    if (error === "invalid_client" || (answer.status === 401 && typeof error !== "string")) {
      return {
        status: "refused",
        reason: `the token endpoint refuses it: ${typeof error === "string" ? error : "HTTP 401"}`,
      };
    }
    if (answer.status === 429 || answer.status >= 500) {
      throw answerError({ origin: this.origin, call: `POST ${TOKEN_PATH}`, secrets }, answer);
    }
    const said = typeof error === "string" ? ` ${error}` : "";
    return { status: "unproven", reason: `the token endpoint's answer proves nothing: HTTP ${answer.status}${said}` };
  }
}

function itemPath(api: ClientApi, clientId: string): string {
  return `${api.path}${encodeURIComponent(clientId)}/`;
}

// An item answer may leave out the id it was asked for.
function withClientId(json: unknown, clientId: string): unknown {
  return json !== null && typeof json === "object" && !Array.isArray(json) ? { client_id: clientId, ...json } : json;
}
