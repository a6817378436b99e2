// One tenant's connectors for a list of clients, as stack config lists them (`["claude", "vscode"]`): what the root
// stack and examples/multi-tenant roll out per tenant.
import * as pulumi from "@pulumi/pulumi";
import { clientKeyOf, type McpClient } from "../domain/mcp-clients";
import { AlationClaudeConnector } from "./alation-claude-connector";
import { AlationMcpConnector } from "./alation-mcp-connector";
import type { ConnectorArgs } from "./connector-base";

/** One connector of a rollout. */
export interface RolledOutConnector {
  /** The client's key: the preset's name, or "custom" for explicit redirect URIs. */
  key: string;
  connector: AlationClaudeConnector | AlationMcpConnector;
  /**
   * What a stack exports for it: the four fields; for an AlationMcpConnector also `client` (as configured, so that
   * `alation-connector verify` checks that client's callbacks) and `clientConfig`.
   */
  outputs: Record<string, pulumi.Input<unknown>>;
}

/**
 * One tenant's connectors, one per client, each with its own OAuth application. `claude` is an
 * AlationClaudeConnector named `name`, as the only connector was before other clients existed: a stack that had it
 * keeps it unchanged. Every other client is an AlationMcpConnector named `name-<key>`. With a shell, only one
 * connector sets the JWT flag (Claude's when it is listed, so that adding clients leaves it where it was; else the
 * first): one FeatureFlag holds the tenant's key, whose delete puts the previous value back.
 */
export function connectorsFor(
  name: string,
  clients: readonly McpClient[],
  args: ConnectorArgs,
  opts?: pulumi.ComponentResourceOptions,
): RolledOutConnector[] {
  const keys = clients.map(clientKeyOf);
  const twice = keys.find((key, index) => keys.indexOf(key) !== index);
  if (twice) {
    throw new Error(`${name}: clients lists ${twice} twice (one connector per client and tenant; its key names it)`);
  }
  const flagHolder = Math.max(keys.indexOf("claude"), 0);
  return clients.map((client, index) => {
    const key = keys[index];
    const own = { ...args, manageJwtFeatureFlag: index === flagHolder ? args.manageJwtFeatureFlag : false };
    // `{ preset: "claude" }` has no options: it is "claude".
    if (key === "claude") {
      const connector = new AlationClaudeConnector(name, own, opts);
      return { key, connector, outputs: connector.fields() };
    }
    const connector = new AlationMcpConnector(`${name}-${key}`, { ...own, client }, opts);
    return { key, connector, outputs: { ...connector.fields(), client, clientConfig: connector.clientConfig } };
  });
}
