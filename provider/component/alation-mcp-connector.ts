// AlationMcpConnector: one tenant's connector for one MCP client (Claude, Claude Code, VS Code, Cursor, Gemini CLI,
// the MCP Inspector, ChatGPT, or any client given by its redirect URIs). Each connector has its own OAuth
// application, so its own secret, which can be rotated or revoked without touching the others.
import * as pulumi from "@pulumi/pulumi";
import { serverNameOf } from "../domain/mcp-client-configs";
import { ConnectorComponent, DEFAULT_APPLICATION_NAME, type ConnectorArgs } from "./connector-base";
import { readClient, type McpClientInput } from "./client-input";

export interface AlationMcpConnectorArgs extends ConnectorArgs {
  /**
   * The MCP client: a preset's name (`"vscode"`), a preset with its options (`{ preset: "claude-code", callbackPort:
   * 3118 }`), or explicit redirect URIs (`{ redirectUris: [...] }`). The presets, their options, callbacks and
   * sources: provider/domain/mcp-clients.ts, and the README's "MCP clients". The preset's name must be a plain value;
   * option values may be Outputs (judged once known, before the application is registered).
   */
  client: McpClientInput;
  /**
   * Name of the OAuth application in Alation. Default: `alation-ai-hosted-mcp-server` for `claude` (the connector
   * guide's), else `alation-ai-hosted-mcp-server-<preset>` (`-custom` for explicit redirect URIs), followed by a
   * suffix made from the stack and the resource (see ConnectorArgs.applicationName).
   */
  applicationName?: pulumi.Input<string>;
}

/**
 * One tenant's connector for one MCP client: the JWT feature flag (when managed), an OAuth application with that
 * client's callbacks, the four fields (`connectorName`, `remoteMcpServerUrl`, `clientId`, `clientSecret`) and
 * `clientConfig`, what the user pastes into that client, in its own format.
 */
export class AlationMcpConnector extends ConnectorComponent {
  /** The client: `"claude"`, `"vscode"`, ... or `"custom"` for explicit redirect URIs. */
  public readonly client: string;
  /**
   * What the user pastes into the client, in the client's own format (the README's "MCP clients" table). A Pulumi
   * secret when it holds the client secret; Claude Code's and VS Code's never do (they ask for it).
   */
  public readonly clientConfig: pulumi.Output<Record<string, unknown>>;

  constructor(name: string, args: AlationMcpConnectorArgs, opts?: pulumi.ComponentResourceOptions) {
    const label = `AlationMcpConnector ${name}`;
    // Judged before anything is registered: a bad client leaves nothing half made.
    const reading = readClient(label, args.client);
    super(
      {
        type: "alation:index:AlationMcpConnector",
        className: "AlationMcpConnector",
        applicationName:
          reading.key === "claude" ? DEFAULT_APPLICATION_NAME : `${DEFAULT_APPLICATION_NAME}-${reading.key}`,
        callbacks: (component, origin) =>
          pulumi.all([reading.resolved(component), origin]).apply(([client, o]) => client.callbacks(o)),
      },
      name,
      args,
      opts,
    );
    this.client = reading.key;
    const { config } = reading;
    // A format without the secret never sees it, so that its output is not a secret.
    const secret = config.holdsSecret ? this.clientSecret : pulumi.output(undefined);
    const built = pulumi
      .all([
        reading.resolved(this),
        this.tenantOrigin,
        this.connectorName,
        this.remoteMcpServerUrl,
        this.clientId,
        secret,
      ])
      .apply(([client, origin, connectorName, mcpUrl, clientId, clientSecret]) =>
        config.build({
          serverName: serverNameOf(connectorName),
          connectorName,
          mcpUrl,
          tenantOrigin: origin ?? "",
          clientId,
          clientSecret,
          callbacks: client.callbacks(origin),
          options: client.options,
        }),
      );
    // (pulumi.secret types its value as unwrapped Inputs; plain JSON values are their own unwrapping.)
    const secretConfig = () => pulumi.secret(built) as unknown as pulumi.Output<Record<string, unknown>>;
    this.clientConfig = config.holdsSecret ? secretConfig() : built;
    this.registerOutputs({ ...this.fields(), clientConfig: this.clientConfig });
  }
}
