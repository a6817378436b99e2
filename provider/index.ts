// The package's face: resources, component and public types of `pulumi-alation`.
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
export { JWT_FEATURE_FLAG } from "./domain/claude-connector";
