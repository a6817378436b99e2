// The package's face: resources, components and public types of `pulumi-alation`.
export { OAuthApplication, type OAuthApplicationArgs, type AlationConnection } from "./resources/oauth-application";
export type { AlationShell, KubernetesShell, SshShell, LocalShell } from "./resources/alation-shell";
export { FeatureFlag, type FeatureFlagArgs } from "./resources/feature-flag";
export { AlationError, type AlationErrorDetails, type AlationErrorKind } from "./alation/errors";
export { ShellError, type ShellErrorKind } from "./shell/errors";
export type { StoreError, StoreFailure } from "./domain/application-store";
export {
  AlationClaudeConnector,
  type AlationClaudeConnectorArgs,
  type ConnectorKubernetesSecret,
  DEFAULT_APPLICATION_NAME,
} from "./component/alation-claude-connector";
export { AlationMcpConnector, type AlationMcpConnectorArgs } from "./component/alation-mcp-connector";
export type { ConnectorArgs } from "./component/connector-base";
export type { McpClientInput } from "./component/client-input";
export { connectorsFor, type RolledOutConnector } from "./component/rollout";
export {
  MCP_CLIENT_PRESETS,
  MCP_CLIENT_TABLE,
  type McpClient,
  type McpClientPreset,
  type McpClientWithOptions,
} from "./domain/mcp-clients";
export { JWT_FEATURE_FLAG } from "./domain/claude-connector";
