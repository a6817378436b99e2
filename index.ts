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
// The package by name, as a user's program imports it (`npm start` links this checkout in): Node loads the build,
// and the program alone is compiled when it runs.
import { AlationShell, connectorsFor, McpClient, RolledOutConnector } from "pulumi-alation";

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
    others: nonEmpty(Object.fromEntries(others.map((connector) => [connector.key, connector.outputs]))),
  };
}

/** The object, or undefined when it has no key. */
function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}

/** Only the outputs that have a value: Pulumi warns of each undefined one on every run. */
function definedOnly(outputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
}

function singleTenantOutputs() {
  const { claude, others } = outputsOf(connectorsOf({ name: "alation", baseUrl: config.require("baseUrl") }));
  // The four fields at the top, as Claude's form has them; the other clients' connectors by client key.
  return { ...claude, mcpClients: others };
}

function multiTenantOutputs(list: TenantConfig[]) {
  const several = list.map((tenant) => ({ name: tenant.name, ...outputsOf(connectorsOf(tenant)) }));
  const by = (pick: (tenant: (typeof several)[number]) => unknown) =>
    nonEmpty(Object.fromEntries(several.flatMap((tenant) => (pick(tenant) ? [[tenant.name, pick(tenant)]] : []))));
  return {
    /** Claude's connector fields per tenant name. */
    connectors: by((tenant) => tenant.claude),
    /** The other clients' connectors per tenant name, then client key. */
    mcpClients: by((tenant) => tenant.others),
  };
}

// One tenant: connectorName, remoteMcpServerUrl, clientId, clientSecret (Claude's), mcpClients (the others'). Many:
// connectors and mcpClients, by tenant name. An output with nothing in it is left out.
export = definedOnly(tenants ? multiTenantOutputs(tenants) : singleTenantOutputs());
