// One tenant over the REST admin API. The connection comes from stack config (alation:baseUrl and the secret
// alation:apiAccessToken) or from ALATION_BASE_URL / ALATION_API_ACCESS_TOKEN, resolved when the provider runs.
// The JWT feature flag has no REST API: set it once in the tenant's pod (see the README), or use the
// kubernetes-exec example, which sets it as code.
import * as pulumi from "@pulumi/pulumi";
import { AlationClaudeConnector } from "pulumi-alation";

const config = new pulumi.Config("alation");

const connector = new AlationClaudeConnector("claude", {
  connection: { baseUrl: config.require("baseUrl") },
  connectorName: "Alation",
  // Change this value to rotate the client secret (then update the connector in Claude).
  secretVersion: "1",
});

// The four fields of Claude's "Add custom connector" form.
export const connectorName = connector.connectorName;
export const remoteMcpServerUrl = connector.remoteMcpServerUrl;
export const clientId = connector.clientId;
export const clientSecret = connector.clientSecret;
