// Evidence, not names (design.md): before any credential leaves the process for a URL (an admin call's TOKEN, a token
// fetch's refresh token or client secret, an application's secret at the token endpoint), the URL shows, without a
// credential, that it is an Alation tenant and, where it can, which generation of the OAuth client admin API it
// serves (../shared/alation-api.md section 2). One probe per origin per process, shared by concurrent operations.
//
// 1. `GET /openapi/oauth2/`, the tenant's own OpenAPI document (tenants from 2025.3.3). Its real shape is unknown:
//    only its `paths` keys (joined to its `servers` URLs' paths, where given) and the names of `properties` anywhere
//    in it are read; anything else is tolerated. A document naming either generation's clients path is the proof.
//    The request asks for JSON (`Accept: application/json`); a tenant that answers a web page there (a Swagger UI,
//    say) is treated as one without a document.
// 2. Otherwise (404, an HTML page, not JSON, a document naming neither path, a 5xx): the authorization server metadata
//    at `/.well-known/oauth-authorization-server` (section 4) must name this host's `/oauth/v1/token/`. The generation
//    is then learned by trying (tenant-api.ts).
// A URL that shows neither is refused, naming baseUrl; nothing with a credential was sent to it.
import { CLIENTS_PATHS, REST_FIELD_NAMES, type ApiGeneration, API_GENERATIONS } from "../domain/application-fields";
import { whereToSet } from "../domain/connection-keys";
import { isTenantTokenEndpoint, TOKEN_PATH } from "../domain/urls";
import { answerError } from "./answers";
import { AlationError } from "./errors";
import { send, type HttpAnswer, type HttpTarget } from "./http";

export const OPENAPI_PATH = "/openapi/oauth2/";
export const METADATA_PATH = "/.well-known/oauth-authorization-server";

/** What the probe learned of a tenant. */
export interface TenantEvidence {
  /** What showed that the URL is an Alation tenant. */
  proof: "openapi" | "metadata";
  /** The generations the tenant's document names (A first); empty when there is no document to say. */
  generations: ApiGeneration[];
  /** The generation whose field names the document's schemas use, when they use one generation's only. */
  fieldNaming?: ApiGeneration;
}

// Probes by origin, for the life of the process.
const probes = new Map<string, Promise<TenantEvidence>>();

/** Forgets every probe (tests). */
export function forgetTenantProbes(): void {
  probes.clear();
}

/** The evidence that `target` is an Alation tenant, probed once per origin; refuses a URL that is not one. */
export function probeTenant(target: HttpTarget): Promise<TenantEvidence> {
  return oncePerOrigin(probes, target.origin, () => runProbe(target));
}

/**
 * `run()`'s promise for `origin`, started once and shared by every caller of the process; one that fails is forgotten,
 * so that the next operation asks again (a tenant that was down, a credential that was refused).
 */
export function oncePerOrigin<T>(memo: Map<string, Promise<T>>, origin: string, run: () => Promise<T>): Promise<T> {
  const known = memo.get(origin);
  if (known) return known;
  const started = run();
  memo.set(origin, started);
  void started.catch(() => {
    if (memo.get(origin) === started) memo.delete(origin);
  });
  return started;
}

async function runProbe(target: HttpTarget): Promise<TenantEvidence> {
  const documentAnswer = await getWithoutCredential(target, OPENAPI_PATH);
  const document = isSuccess(documentAnswer) ? readOpenApiDocument(documentAnswer.json) : undefined;
  if (document && document.generations.length > 0) return { proof: "openapi", ...document };
  const metadataAnswer = await getWithoutCredential(target, METADATA_PATH);
  if (namesAlationTokenEndpoint(metadataAnswer, target.origin)) {
    return { proof: "metadata", generations: [], fieldNaming: document?.fieldNaming };
  }
  // A tenant in trouble is reported as such (and probed again next time), not as a URL that is not Alation.
  if (metadataAnswer.status === 429 || metadataAnswer.status >= 500) {
    throw answerError({ origin: target.origin, call: `GET ${METADATA_PATH}`, secrets: [] }, metadataAnswer);
  }
  throw notAlationError(target.origin, documentAnswer, metadataAnswer);
}

function getWithoutCredential(target: HttpTarget, path: string): Promise<HttpAnswer> {
  return send(target, { method: "GET", path, retry: "idempotent", secrets: [] });
}

/**
 * The generations an OpenAPI document names, and the field naming of its schemas; undefined when it is not an object.
 * Tolerates any shape: `paths` absent or not an object, `servers` with absolute, relative or no URLs, keys with or
 * without their trailing slash.
 */
export function readOpenApiDocument(json: unknown): Omit<TenantEvidence, "proof"> | undefined {
  if (!isRecord(json)) return undefined;
  const prefixes = [""];
  if (Array.isArray(json.servers)) {
    for (const server of json.servers) {
      if (isRecord(server) && typeof server.url === "string") prefixes.push(pathOfUrl(server.url));
    }
  }
  const keys = isRecord(json.paths) ? Object.keys(json.paths) : [];
  const paths = keys.flatMap((key) => prefixes.map((prefix) => joinPaths(prefix, key)));
  const generations = API_GENERATIONS.filter((generation) => {
    const collection = CLIENTS_PATHS[generation];
    return paths.some((path) => path === collection.slice(0, -1) || path.startsWith(collection));
  });
  return { generations, fieldNaming: fieldNamingOf(propertyNames(json)) };
}

/** The generation whose own field names (those the other does not share) appear, when only one's do. */
function fieldNamingOf(names: Set<string>): ApiGeneration | undefined {
  const uses = API_GENERATIONS.filter((generation) => {
    const other = API_GENERATIONS.find((candidate) => candidate !== generation) as ApiGeneration;
    const own = Object.values(REST_FIELD_NAMES[generation]).filter(
      (name) => !Object.values(REST_FIELD_NAMES[other]).includes(name),
    );
    return own.some((name) => names.has(name));
  });
  return uses.length === 1 ? uses[0] : undefined;
}

// Bounds of the walk through a document (its size is already bounded by http.ts).
const MAX_DEPTH = 16;

/** The keys of every `properties` object in a document (schemas, request bodies, wherever they are). */
function propertyNames(document: unknown): Set<string> {
  const names = new Set<string>();
  const walk = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || value === null || typeof value !== "object") return;
    for (const [key, child] of Object.entries(value)) {
      if (key === "properties" && isRecord(child)) for (const name of Object.keys(child)) names.add(name);
      walk(child, depth + 1);
    }
  };
  walk(document, 0);
  return names;
}

/** Whether the answer is authorization server metadata naming this host's token endpoint (isTenantTokenEndpoint). */
function namesAlationTokenEndpoint(answer: HttpAnswer, origin: string): boolean {
  if (!isSuccess(answer) || !isRecord(answer.json) || typeof answer.json.token_endpoint !== "string") return false;
  return isTenantTokenEndpoint(answer.json.token_endpoint, origin);
}

function notAlationError(origin: string, document: HttpAnswer, metadata: HttpAnswer): AlationError {
  const said = (answer: HttpAnswer) => {
    const type = [answer.headers["content-type"]].flat()[0]?.split(";")[0];
    return `${answer.status}${type ? ` ${type}` : ""}`;
  };
  return new AlationError({
    kind: "not-found",
    call: `GET ${METADATA_PATH}`,
    origin,
    status: metadata.status,
    hint:
      `baseUrl ${origin} does not answer as an Alation tenant (no OpenAPI document naming Alation's OAuth client ` +
      `API at ${OPENAPI_PATH}: ${said(document)}; no authorization server metadata naming ${TOKEN_PATH}: ` +
      `${said(metadata)}), so no credential was sent to it. Check baseUrl, the tenant's own address ` +
      `(https://TENANT.alationcloud.com): ${whereToSet("baseUrl")}`,
  });
}

function pathOfUrl(url: string): string {
  try {
    return new URL(url, "http://relative.invalid").pathname;
  } catch {
    return "";
  }
}

function joinPaths(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
  return joined.replace(/\/{2,}/g, "/");
}

function isSuccess(answer: HttpAnswer): boolean {
  return answer.status >= 200 && answer.status < 300;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
