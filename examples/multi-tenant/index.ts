// Tens of tenants, one connector per tenant and MCP client, rolled out by `connectorsFor` (as the root stack and
// `alation-fleet` do). The tenant list is plain config; each tenant's API token is a secret in config
// (`tokens.<host>`), else ALATION_API_ACCESS_TOKEN at each command. `clients` lists the MCP clients of every tenant
// (default ["claude"]: one AlationClaudeConnector each). `pulumi preview` in CI needs no token at all: the
// provider's check and diff never touch the network.
import * as pulumi from "@pulumi/pulumi";
import { connectorsFor, type McpClient } from "pulumi-alation";

const config = new pulumi.Config();
const tenantUrls = config.requireObject<string[]>("tenants");
const tokens = config.getSecretObject<Record<string, string>>("tokens");
// The hosts that have a token in config, known now (the keys only, never a token): a tenant without one gets no
// apiAccessToken input at all, and its provider takes ALATION_API_ACCESS_TOKEN.
const tokenHosts = Object.keys(JSON.parse(pulumi.runtime.getConfig(`${pulumi.getProject()}:tokens`) ?? "{}"));
const clients = config.getObject<McpClient[]>("clients") ?? ["claude"];

// Plain objects of Outputs, not one lifted Output: only the client secrets are secret, so that `pulumi stack output
// connectors` shows the other fields without --show-secrets.
type Fields = Record<string, pulumi.Input<unknown>>;
/** Claude's connector fields by tenant host. */
const connectors: Record<string, Fields> = {};
/** The other clients' connectors by tenant host, then client (fields, client, clientConfig). */
const mcpClients: Record<string, Record<string, Fields>> = {};
for (const baseUrl of tenantUrls) {
  const host = new URL(baseUrl).host;
  const apiAccessToken = tokenHosts.includes(host) ? tokens?.apply((byHost) => byHost[host]) : undefined;
  const connection = { baseUrl, apiAccessToken };
  for (const { key, outputs } of connectorsFor(host, clients, { connection })) {
    if (key === "claude") connectors[host] = outputs;
    else (mcpClients[host] ??= {})[key] = outputs;
  }
}
// An empty output is left out: Pulumi would warn of an undefined one on every run.
export = Object.fromEntries(
  Object.entries({ connectors, mcpClients }).filter(([, value]) => Object.keys(value).length > 0),
);
