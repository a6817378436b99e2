// The connector verifier's public face (no Pulumi): the library behind `alation-connector verify`.
export { verifyConnector, verifyConnectors, DEFAULT_TIMEOUT_MS } from "./verify";
export { ALL_STEPS, CLAUDE_WIZARD_STEP_IDS, STEP_IDS, stepIdsFor } from "./steps";
export { MCP_CLIENT_PRESETS, MCP_CLIENT_TABLE, type McpClient, type McpClientPreset } from "../domain/mcp-clients";
export { connectorsFromStackOutputs, connectorsFromJson, ConnectorInputError } from "./input";
export { formatReports, reportsToJson } from "./report";
export { runCli, USAGE, type CliIo } from "./cli";
export { browserCommands, openBrowser } from "./browser";
export { CLAUDE_REDIRECT_URIS, DEFAULT_CALLBACK_PORT, loopbackRedirectUri } from "../domain/claude-connector";
export {
  CLIENT_REDIRECT_STEP_ID,
  DEFAULT_LOGIN_TIMEOUT_MS,
  EMULATOR_TEST_USER,
  type BrowserLoginOptions,
  type ConnectorInput,
  type FetchFn,
  type LoginCredentials,
  type StepId,
  type StepResult,
  type StepStatus,
  type VerifyOptions,
  type VerifyReport,
} from "./types";
