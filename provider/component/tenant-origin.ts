// Where a connector's tenant is (`https://TENANT`), from the first tenant URL the user set, and the MCP URL its client
// is given. Shared by every connector component; messages start with the component's label and name.
import * as pulumi from "@pulumi/pulumi";
import type { AlationConnection } from "../resources/oauth-application";
import { CONNECTION_KEYS, inSourceOrder } from "../domain/connection-keys";
import { tenantUrlProblem } from "../domain/urls";

/** What the tenant URL is read from: a connector's own inputs. */
export interface TenantUrlInputs {
  tenantUrl?: pulumi.Input<string>;
  connection?: AlationConnection;
}

/** The field the tenant URL comes from (named in errors, as the user wrote it), and its value. */
interface TenantUrlSource {
  field: string;
  value: pulumi.Input<string> | undefined;
  /** tenantUrl may carry a path (only its origin is used); a base URL may not. */
  pathAllowed: boolean;
}

/** Where the tenant URL may come from, in order: the first one set is used (the runtime's order, inSourceOrder). */
function tenantUrlSources(args: TenantUrlInputs): TenantUrlSource[] {
  const { config, env } = CONNECTION_KEYS.baseUrl;
  const [namespace, key] = config.split(":");
  return inSourceOrder({
    inputs: [
      { field: "tenantUrl", value: args.tenantUrl, pathAllowed: true },
      { field: "connection.baseUrl", value: args.connection?.baseUrl, pathAllowed: false },
    ],
    stackConfig: [
      {
        field: `stack config ${config}`,
        value: new pulumi.Config(namespace).get(key) || undefined,
        pathAllowed: false,
      },
    ],
    environment: [{ field: env, value: process.env[env] || undefined, pathAllowed: false }],
  });
}

/**
 * `https://TENANT`, from the first tenant URL set. A value known now (a plain string) is refused now, with the field
 * the user set; so is a missing one. One known later is judged then: connection.baseUrl by the application's check
 * (the origin is then undefined, and nothing derived from it is reported again); tenantUrl here, once.
 * `label` names the component in messages: `AlationClaudeConnector claude: ...`.
 */
export function tenantOriginOf(
  component: pulumi.Resource,
  label: string,
  args: TenantUrlInputs,
): pulumi.Output<string | undefined> {
  const sources = tenantUrlSources(args);
  // A ResourceError without its stack: the message says all, and Pulumi shows it once, on the component.
  const refuse = (problem: string) => new pulumi.ResourceError(`${label}: ${problem}`, component, true);
  const { config, env } = CONNECTION_KEYS.baseUrl;
  const missing = () =>
    refuse(`no tenant URL: set connection.baseUrl or tenantUrl (https://TENANT), stack config ${config} or ${env}`);
  const chosen = sources.find((source) => source.value !== undefined);
  if (!chosen) throw missing();
  // connection.baseUrl is judged even when tenantUrl is the one used: the application uses it.
  for (const source of new Set([chosen, sources[1]])) {
    const problem = typeof source.value === "string" ? tenantUrlProblem(source.value, source.field, source) : undefined;
    if (problem) throw refuse(problem);
  }
  const fallback = sources.slice(2).find((source) => source.value !== undefined);
  return pulumi.output(chosen.value).apply((value) => {
    // An Output that resolves to nothing leaves the choice to the sources after it, as the runtime does.
    const source = value ? { ...chosen, value } : fallback;
    if (!source || typeof source.value !== "string") throw missing();
    const problem = tenantUrlProblem(source.value, source.field, source);
    if (!problem) return new URL(source.value).origin;
    if (source.field === "connection.baseUrl") return undefined;
    throw refuse(problem);
  });
}

/** Why a custom MCP server's id cannot be used, naming mcpServerId; undefined when it can. */
export function mcpServerIdProblem(serverId: string): string | undefined {
  // One path segment of URL-safe characters: anything else would name another path or need escaping in a client.
  if (/^[A-Za-z0-9._~-]+$/.test(serverId) && serverId !== "." && serverId !== "..") return undefined;
  return (
    'mcpServerId must be one path segment of letters, digits, ".", "_", "~" or "-" ' +
    `(the <server-id> of https://TENANT/ai/mcp/<server-id>/), got ${JSON.stringify(serverId)}`
  );
}

/** The MCP URL a client is given: the hosted server's, or a custom server's; always with its trailing slash. */
export function mcpServerUrlOf(origin: string, serverId: string | undefined): string {
  return serverId === undefined ? `${origin}/ai/mcp/` : `${origin}/ai/mcp/${serverId}/`;
}
