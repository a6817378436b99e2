// The connector verifier's public face (no Pulumi): the library behind `alation-connector verify`.
export { verifyConnector, verifyConnectors, ALL_STEPS, DEFAULT_TIMEOUT_MS } from "./verify";
export { connectorsFromStackOutputs, connectorsFromJson, ConnectorInputError } from "./input";
export { formatReports, reportsToJson } from "./report";
export { runCli, USAGE, type CliIo } from "./cli";
export { browserCommands, openBrowser } from "./browser";
export { CLAUDE_REDIRECT_URIS, DEFAULT_CALLBACK_PORT, loopbackRedirectUri } from "../domain/claude-connector";
export {
  DEFAULT_LOGIN_TIMEOUT_MS,
  STEP_IDS,
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
