// AlationClaudeConnector: the `claude` preset of the MCP client table, as it has always been: type
// `alation:index:AlationClaudeConnector`, the same children, and exactly the four outputs of Claude's connector form
// (no clientConfig), so that stacks made before AlationMcpConnector existed see no change.
import * as pulumi from "@pulumi/pulumi";
import { resolveClient } from "../domain/mcp-client-spec";
import { ConnectorComponent, DEFAULT_APPLICATION_NAME, type ConnectorArgs } from "./connector-base";

export { DEFAULT_APPLICATION_NAME, type ConnectorKubernetesSecret } from "./connector-base";

export interface AlationClaudeConnectorArgs extends ConnectorArgs {
  /**
   * Redirect URIs. Default: `https://TENANT/oauth/callback` and Claude's two callbacks (Claude needs them): the
   * `claude` preset's (provider/domain/mcp-clients.ts).
   */
  redirectUris?: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * One tenant's Claude connector: the JWT feature flag (when managed), the OAuth application, and outputs that are
 * exactly the four fields of Claude's "Add custom connector" form. (`AlationMcpConnector` with `client: "claude"`
 * makes the same application and adds `clientConfig`.)
 */
export class AlationClaudeConnector extends ConnectorComponent {
  constructor(name: string, args: AlationClaudeConnectorArgs, opts?: pulumi.ComponentResourceOptions) {
    const claude = resolveClient("claude");
    super(
      {
        type: "alation:index:AlationClaudeConnector",
        className: "AlationClaudeConnector",
        applicationName: DEFAULT_APPLICATION_NAME,
        callbacks: (_component, origin) => args.redirectUris ?? origin.apply((o) => claude.callbacks(o)),
      },
      name,
      args,
      opts,
    );
    this.registerOutputs(this.fields());
  }
}
