// The root stack: one Claude connector per Alation tenant, configured by stack config.
//   one tenant:   alation:baseUrl + alation:apiAccessToken (secret), or any other way to authenticate (README)
//   many tenants: alation:tenants, a list of {name, baseUrl, apiAccessToken?, connectorName?}
//   alation:shell (optional, e.g. {"local": {}}): also set the JWT feature flag through the tenant's shell
//   alation:accessTokenExpiry, alation:refreshTokenExpiry, alation:secretVersion (optional): for every connector
// Its outputs are the fields of Claude's "Add custom connector" form (clientSecret is a secret).
import * as pulumi from "@pulumi/pulumi";
import { AlationClaudeConnector, AlationShell } from "./provider";

interface TenantConfig {
  /** Stack-unique name of the tenant (used in resource names and output keys). */
  name: string;
  /** https://TENANT */
  baseUrl: string;
  /** Server Admin API access token; default: alation:apiAccessToken, then ALATION_API_ACCESS_TOKEN. */
  apiAccessToken?: string;
  /** Connector Name shown in Claude. */
  connectorName?: string;
}

const config = new pulumi.Config("alation");
const tenants = config.getObject<TenantConfig[]>("tenants");
const shell = config.getObject<AlationShell>("shell");
const accessTokenExpiry = config.getNumber("accessTokenExpiry");
const refreshTokenExpiry = config.getNumber("refreshTokenExpiry");
const secretVersion = config.get("secretVersion");

function connectorFor(tenant: TenantConfig): AlationClaudeConnector {
  return new AlationClaudeConnector(tenant.name, {
    connection: {
      baseUrl: tenant.baseUrl,
      apiAccessToken: tenant.apiAccessToken === undefined ? undefined : pulumi.secret(tenant.apiAccessToken),
    },
    connectorName: tenant.connectorName,
    shell,
    accessTokenExpiry,
    refreshTokenExpiry,
    secretVersion,
  });
}

function fieldsOf(connector: AlationClaudeConnector) {
  return {
    connectorName: connector.connectorName,
    remoteMcpServerUrl: connector.remoteMcpServerUrl,
    clientId: connector.clientId,
    clientSecret: connector.clientSecret,
  };
}

const single = tenants ? undefined : fieldsOf(connectorFor({ name: "alation", baseUrl: config.require("baseUrl") }));

export const connectorName = single?.connectorName;
export const remoteMcpServerUrl = single?.remoteMcpServerUrl;
export const clientId = single?.clientId;
export const clientSecret = single?.clientSecret;
/** With alation:tenants, the connector fields per tenant name. */
export const connectors = tenants
  ? Object.fromEntries(tenants.map((tenant) => [tenant.name, fieldsOf(connectorFor(tenant))]))
  : undefined;
