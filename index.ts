// The root stack: connectors of Alation tenants for MCP clients (Claude's, unless told), configured by stack config.
//   one tenant:   alation:baseUrl + alation:apiAccessToken (secret), or any other way to authenticate (README)
//   many tenants: alation:tenants, a list of {name, baseUrl, apiAccessToken?, connectorName?, clients?}
//   alation:clients (optional): the MCP clients of every tenant, e.g. ["claude", "vscode",
//     {"preset": "claude-code", "callbackPort": 3118}] (README "MCP clients"); default ["claude"]
//   alation:shell (optional, e.g. {"local": {}}): also set the JWT feature flag through the tenant's shell
//   alation:accessTokenExpiry, alation:refreshTokenExpiry, alation:secretVersion (optional): for every connector
// Its outputs are the fields of Claude's "Add custom connector" form (clientSecret is a secret), and, for other
// clients, mcpClients: each client's fields, client and clientConfig.
import * as pulumi from "@pulumi/pulumi";
import { AlationShell, connectorsFor, McpClient, RolledOutConnector } from "./provider";

interface TenantConfig {
  /** Stack-unique name of the tenant (used in resource names and output keys). */
  name: string;
  /** https://TENANT */
  baseUrl: string;
  /** Server Admin API access token; default: alation:apiAccessToken, then ALATION_API_ACCESS_TOKEN. */
  apiAccessToken?: string;
  /** Connector Name shown in Claude. */
  connectorName?: string;
  /** This tenant's MCP clients; default alation:clients, then ["claude"]. */
  clients?: McpClient[];
}

const config = new pulumi.Config("alation");
const tenants = config.getObject<TenantConfig[]>("tenants");
const clients = config.getObject<McpClient[]>("clients") ?? ["claude"];
const shell = config.getObject<AlationShell>("shell");
const accessTokenExpiry = config.getNumber("accessTokenExpiry");
const refreshTokenExpiry = config.getNumber("refreshTokenExpiry");
const secretVersion = config.get("secretVersion");

/** A tenant's connectors; Claude's is named as the only connector was before other clients (nothing changes). */
function connectorsOf(tenant: TenantConfig): RolledOutConnector[] {
  return connectorsFor(tenant.name, tenant.clients ?? clients, {
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

/** Claude's fields, and the other clients' by key (undefined when there are none). */
function outputsOf(connectors: RolledOutConnector[]) {
  const others = connectors.filter((connector) => connector.key !== "claude");
  return {
    claude: connectors.find((connector) => connector.key === "claude")?.outputs,
    others: others.length
      ? Object.fromEntries(others.map((connector) => [connector.key, connector.outputs]))
      : undefined,
  };
}

const single = tenants ? undefined : outputsOf(connectorsOf({ name: "alation", baseUrl: config.require("baseUrl") }));
const several = tenants?.map((tenant) => ({ name: tenant.name, ...outputsOf(connectorsOf(tenant)) }));

export const connectorName = single?.claude?.connectorName;
export const remoteMcpServerUrl = single?.claude?.remoteMcpServerUrl;
export const clientId = single?.claude?.clientId;
export const clientSecret = single?.claude?.clientSecret;
/** With alation:tenants, Claude's connector fields per tenant name. */
export const connectors = several
  ? Object.fromEntries(several.flatMap((tenant) => (tenant.claude ? [[tenant.name, tenant.claude]] : [])))
  : undefined;
/** The other clients' connectors: by client key (one tenant), or by tenant name, then client key. */
export const mcpClients = several
  ? nonEmpty(Object.fromEntries(several.flatMap((tenant) => (tenant.others ? [[tenant.name, tenant.others]] : []))))
  : single?.others;

function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}
