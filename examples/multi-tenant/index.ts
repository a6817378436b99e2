// Tens of tenants, one AlationClaudeConnector each. The tenant list is plain config; each tenant's API token is a
// secret in config (`tokens.<host>`), else ALATION_API_ACCESS_TOKEN at `pulumi up` time. `pulumi preview` in CI
// needs no token at all: the provider's check and diff never touch the network.
import * as pulumi from "@pulumi/pulumi";
import { AlationClaudeConnector } from "pulumi-alation";

const config = new pulumi.Config();
const tenantUrls = config.requireObject<string[]>("tenants");
const tokens = config.getSecretObject<Record<string, string>>("tokens");

export const connectors: Record<string, pulumi.Output<Record<string, string>>> = {};
for (const baseUrl of tenantUrls) {
  const host = new URL(baseUrl).host;
  const connector = new AlationClaudeConnector(host, {
    connection: {
      baseUrl,
      apiAccessToken: tokens?.apply((byHost) => byHost[host]),
    },
  });
  connectors[host] = pulumi.all({
    connectorName: connector.connectorName,
    remoteMcpServerUrl: connector.remoteMcpServerUrl,
    clientId: connector.clientId,
    clientSecret: connector.clientSecret,
  });
}
