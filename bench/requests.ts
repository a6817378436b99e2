// HTTP requests per operation: each operation of an OAuthApplication driven through Pulumi's provider server as the
// engine drives it, the tenant's request counter reset before and read after. The server is a fresh provider process:
// its first operation that reaches the tenant (create) pays the tenant probe, counted apart; later ones do not.
import { UNKNOWN } from "../provider/schema/unknown";
import type { TestTenant } from "../tests/support/test-tenant";
import type { ProviderServer } from "../tests/support/provider-server";
import { credentialsFor } from "../tests/support/tenant-credentials";
import { counted, type RequestCount } from "./counting";
import { oauthApplication, type Props } from "./resources";

/** What one operation cost. */
export type OperationCost = Omit<RequestCount, "connections">;

/** The operations measured with a static API access token. */
export type Operation =
  "checkPreview" | "check" | "diff" | "create" | "read" | "update" | "rotate" | "updateAndRotate" | "delete";
/** The operations measured for the modes that exchange a credential for a token. */
export type TokenOperation = "create" | "read" | "delete";

/** Requests per operation. */
export interface RequestsResult {
  /** With an API access token (header TOKEN): no token exchange. */
  apiAccessToken: Record<Operation, OperationCost>;
  /** With a refresh token and with a service account, in the same provider process, in this order. */
  tokenModes: Record<"refreshToken" | "clientCredentials", Record<TokenOperation, OperationCost>>;
  /** The OAuthApplication's outputs after create, as the server returned them (`__provider` included). */
  createdState: Props;
}

/** Measures every operation against `tenant` through `server` (configured, no stack config). */
export async function measureRequests(server: ProviderServer, tenant: TestTenant): Promise<RequestsResult> {
  const inputs = (await oauthApplication(tenant.url)).inputs;
  const cost = async <T>(work: () => Promise<T>): Promise<{ result: T; cost: OperationCost }> => {
    const { result, count } = await counted(tenant, work);
    return { result, cost: { requests: count.requests, byRoute: count.byRoute, probe: count.probe } };
  };

  const checkPreview = await cost(() => server.check({}, { ...inputs, redirectUris: UNKNOWN }));
  const check = await cost(() => server.check({}, inputs));
  const checked = check.result.inputs;
  const create = await cost(() => server.create(checked));
  const { id, properties: createdState } = create.result;
  const read = await cost(() => server.read(id, createdState));
  const longer = { ...checked, accessTokenExpiry: 7200 };
  const diff = await cost(() => server.diff(id, read.result.properties, longer));
  if (diff.result.changes !== "some")
    throw new Error(`diff saw no change in accessTokenExpiry: ${JSON.stringify(diff.result)}`);
  const update = await cost(() => server.update(id, read.result.properties, longer));
  const rotated = { ...longer, secretVersion: "2" };
  const rotate = await cost(() => server.update(id, update.result.properties, rotated));
  const both = { ...rotated, accessTokenExpiry: 3600, secretVersion: "3" };
  const updateAndRotate = await cost(() => server.update(id, rotate.result.properties, both));
  const remove = await cost(() => server.delete(id, updateAndRotate.result.properties));

  const tokenModes = {} as RequestsResult["tokenModes"];
  for (const mode of ["refreshToken", "clientCredentials"] as const) {
    const credentials = await credentialsFor(tenant, mode);
    const modeInputs = (await oauthApplication(tenant.url, credentials as Props, `claude-${mode}`)).inputs;
    const modeChecked = (await server.check({}, modeInputs)).inputs;
    const modeCreate = await cost(() => server.create(modeChecked));
    const modeRead = await cost(() => server.read(modeCreate.result.id, modeCreate.result.properties));
    const modeDelete = await cost(() => server.delete(modeCreate.result.id, modeRead.result.properties));
    tokenModes[mode] = { create: modeCreate.cost, read: modeRead.cost, delete: modeDelete.cost };
  }

  return {
    apiAccessToken: {
      checkPreview: checkPreview.cost,
      check: check.cost,
      diff: diff.cost,
      create: create.cost,
      read: read.cost,
      update: update.cost,
      rotate: rotate.cost,
      updateAndRotate: updateAndRotate.cost,
      delete: remove.cost,
    },
    tokenModes,
    createdState,
  };
}
