// Which generation of the OAuth client admin API a tenant serves its clients by, learned once per origin for the
// process: its OpenAPI document says (tenant-probe.ts); where it has none, the generations' collections are tried in
// turn with the admin credential (the tenant has proven to be Alation by then).
import {
  ADMIN_UI_APPLICATIONS,
  API_GENERATIONS,
  CLIENTS_PATHS,
  type ApiGeneration,
} from "../domain/application-fields";
import type { AdminCalls, Called } from "./admin-calls";
import { answerError } from "./answers";
import { AlationError } from "./errors";
import type { HttpTarget } from "./http";
import { forgetTenantProbes, oncePerOrigin, probeTenant, type TenantEvidence } from "./tenant-probe";

/** How one tenant serves its OAuth clients. */
export interface ClientApi {
  generation: ApiGeneration;
  /** Its collection path, with the trailing slash; an item is `{client_id}/` under it. */
  path: string;
  /** Whose field names its bodies take: the generation's own, unless the tenant's document uses the other's. */
  fieldNaming: ApiGeneration;
}

const clientApis = new Map<string, Promise<ClientApi | undefined>>();

/** Forgets what every tenant proved and serves (tests). */
export function forgetTenantEvidence(): void {
  forgetTenantProbes();
  clientApis.clear();
}

/** What an operation on a tenant without this API is told. */
export const API_NOT_SERVED_HINT =
  `this tenant serves neither generation of Alation's OAuth client admin API (${CLIENTS_PATHS.a} nor ` +
  `${CLIENTS_PATHS.b}), which exists only on cloud-native Alation Cloud: manage the application through shell`;

/** The client API of the tenant at `target`; a tenant that serves neither generation fails the operation, saying so. */
export async function requiredClientApi(target: HttpTarget, calls: AdminCalls): Promise<ClientApi> {
  const api = await clientApiOf(target, calls);
  if (api) return api;
  const call = `GET ${CLIENTS_PATHS.a} and ${CLIENTS_PATHS.b}`;
  throw new AlationError({ kind: "not-found", call, origin: target.origin, status: 404, hint: API_NOT_SERVED_HINT });
}

/** What a rotation on a tenant whose client API serves none is told: what to do instead. */
export function noRotationHint(api: ClientApi): string {
  return (
    `this tenant's OAuth client API (generation ${api.generation.toUpperCase()}, ${api.path}) serves no secret ` +
    `rotation: rotate the secret in Alation's admin UI (${ADMIN_UI_APPLICATIONS}, "Rotate Secret", which shows ` +
    "the new secret once), or replace the resource for a new application " +
    "with a new secret; adopting an application rotates its secret, so on this tenant adopt through shell"
  );
}

/** The client API of the tenant at `target`; undefined when it serves neither generation. */
export function clientApiOf(target: HttpTarget, calls: AdminCalls): Promise<ClientApi | undefined> {
  return oncePerOrigin(clientApis, target.origin, () => learnClientApi(target, calls));
}

async function learnClientApi(target: HttpTarget, calls: AdminCalls): Promise<ClientApi | undefined> {
  const evidence = await probeTenant(target);
  // A document naming both generations means either: A, whose update, delete and rotation are documented too.
  if (evidence.generations.length > 0) return clientApi(evidence.generations[0], evidence);
  // No document: A first, for the same reason (B documents only its create); B where A's collection is not served.
  // A GET of the collection is harmless, and tells: each generation routes its collection (its create is POSTed
  // there), so a tenant that serves it answers a list, a 405 or a refusal in JSON, never a 404.
  for (const generation of API_GENERATIONS) {
    if (
      collectionServed(await calls.call("GET", CLIENTS_PATHS[generation], { query: { limit: 1 }, retry: "idempotent" }))
    )
      return clientApi(generation, evidence);
  }
  return undefined;
}

function clientApi(generation: ApiGeneration, evidence: TenantEvidence): ClientApi {
  return { generation, path: CLIENTS_PATHS[generation], fieldNaming: evidence.fieldNaming ?? generation };
}

/**
 * Whether a GET of a collection shows the route served. Not served: 404 or 501 (Django's page for a path it does not
 * route), or a web page at 2xx (a front end that answers every path). Served: a 405, or any other answer in JSON.
 * Throttling, an outage or a refused credential cannot tell (an unknown tenant may check credentials before routing):
 * the call fails with that error, and the next operation tries again.
 */
function collectionServed({ answer, context }: Called): boolean {
  if (answer.status === 404 || answer.status === 501) return false;
  if (answer.status === 405) return true;
  if (answer.status === 401 || answer.status === 403 || answer.status === 429 || answer.status >= 500) {
    throw answerError(context, answer);
  }
  return answer.json !== undefined;
}
