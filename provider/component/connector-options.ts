// A connector's options judged before any of its children is registered: a bad value known now fails the program at
// once, preview and `up --skip-preview` alike, naming the option the user wrote, with nothing created. A value known
// only later (an Output) is judged by the child that takes it, before that child is registered.
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { APPLICATION_FIELD_TABLE, APPLICATION_NAME_MAX_LENGTH } from "../domain/application-fields";
import { DEFAULT_CALLBACK_PORT, loopbackRedirectUri } from "../domain/claude-connector";
import { misspeltConfigKeyProblems } from "../domain/connection-keys";
import { unreadableNameProblem } from "../domain/readable-names";
import { redirectUriProblem } from "../domain/urls";
import type { oauthApplicationShape } from "../schema/oauth-application";
import { mcpServerIdProblem } from "./tenant-origin";

/** The options judged here, as ConnectorArgs has them (connector-base.ts documents each). */
export interface JudgedOptions {
  shell?: unknown;
  connectorName?: pulumi.Input<string>;
  applicationName?: pulumi.Input<string>;
  accessTokenExpiry?: pulumi.Input<number>;
  refreshTokenExpiry?: pulumi.Input<number>;
  secretVersion?: pulumi.Input<string>;
  adoptClientId?: pulumi.Input<string>;
  extraRedirectUris?: pulumi.Input<pulumi.Input<string>[]>;
  mcpServerId?: pulumi.Input<string>;
  manageJwtFeatureFlag?: boolean;
  verifierLogin?: boolean | { callbackPort: number };
}

/**
 * The connector options the application takes as they are, with the application field whose rule they follow (and
 * whose default and limits docs/reference.md states: tests/docs/application-fields.test.ts).
 */
export const APPLICATION_OPTIONS = {
  applicationName: "name",
  accessTokenExpiry: "accessTokenExpiry",
  refreshTokenExpiry: "refreshTokenExpiry",
  secretVersion: "secretVersion",
  adoptClientId: "adoptClientId",
} as const satisfies Partial<Record<keyof JudgedOptions, keyof typeof oauthApplicationShape>>;

/**
 * Every problem of the options known now, each naming its option, thrown as one RunError (Pulumi prints its message
 * alone, without a stack trace). Returns the verifier's redirect URIs, which the options decide.
 */
export function judgeConnectorOptions(label: string, args: JudgedOptions): string[] {
  // A misspelt setting in stack config (alation:baseURL) first: the generic "no tenant URL" would hide it.
  const problems = misspeltConfigKeyProblems(Object.keys(pulumi.runtime.allConfig()));
  for (const [option, field] of Object.entries(APPLICATION_OPTIONS)) {
    const value = args[option as keyof typeof APPLICATION_OPTIONS];
    const problem = isKnown(value) ? schemaProblem(field, value) : undefined;
    if (problem) problems.push(`${option}: ${problem}`);
  }
  const connectorName = args.connectorName;
  const nameProblem = typeof connectorName === "string" ? connectorNameProblem(connectorName) : undefined;
  if (nameProblem) problems.push(nameProblem);
  const extra = args.extraRedirectUris;
  if (isKnown(extra) && Array.isArray(extra)) problems.push(...extraRedirectUriProblems(extra));
  const serverId = args.mcpServerId;
  const serverIdProblem = typeof serverId === "string" ? mcpServerIdProblem(serverId) : undefined;
  if (serverIdProblem) problems.push(serverIdProblem);
  if ((args.manageJwtFeatureFlag ?? args.shell !== undefined) && args.shell === undefined) {
    problems.push("manageJwtFeatureFlag needs shell (the flag has no REST API)");
  }
  const login = args.verifierLogin;
  const callbackPort = login === true ? DEFAULT_CALLBACK_PORT : login ? login.callbackPort : undefined;
  const portValid = Number.isInteger(callbackPort) && callbackPort! >= 1 && callbackPort! <= 65535;
  if (callbackPort !== undefined && !portValid) {
    problems.push("verifierLogin.callbackPort must be a whole number from 1 to 65535");
  }
  if (problems.length > 0) throw new pulumi.RunError(`${label}: ${problems.join("; ")}`);
  return callbackPort === undefined ? [] : [loopbackRedirectUri(callbackPort)];
}

/** Why a connector's name cannot be used (people read it in their MCP client), naming connectorName. */
export function connectorNameProblem(name: string): string | undefined {
  return unreadableNameProblem("connectorName", name);
}

/**
 * The problems of the extra redirect URIs, each naming `extraRedirectUris[i]` as the user wrote it (the application's
 * check would name their place in its own list). Values not known yet are left to the application's check.
 */
export function extraRedirectUriProblems(extra: ReadonlyArray<unknown>): string[] {
  return extra.flatMap((uri, index) => {
    const problem = typeof uri === "string" ? redirectUriProblem(uri) : undefined;
    return problem ? [`extraRedirectUris[${index}]: ${problem}`] : [];
  });
}

/** A value known now: not an Output, not a promise. */
function isKnown(value: unknown): boolean {
  return value !== undefined && !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

type ApplicationOptionField = (typeof APPLICATION_OPTIONS)[keyof typeof APPLICATION_OPTIONS];

const secondsInRange = (field: "accessTokenExpiry" | "refreshTokenExpiry") => (value: unknown) => {
  const { min, max } = APPLICATION_FIELD_TABLE[field].range;
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
};

/**
 * Values that the application's schema plainly accepts, by the same limits (the field table's, readable-names.ts):
 * the usual values are decided without loading the schema and zod (about 200 ms of a program's CPU on a shared
 * machine, which a one-connector stack feels). Any other value is judged by the schema, which words the problem.
 */
export const PLAINLY_VALID: Record<ApplicationOptionField, (value: unknown) => boolean> = {
  name: (value) =>
    typeof value === "string" &&
    /\S/.test(value) &&
    value.length <= APPLICATION_NAME_MAX_LENGTH &&
    unreadableNameProblem("name", value) === undefined,
  accessTokenExpiry: secondsInRange("accessTokenExpiry"),
  refreshTokenExpiry: secondsInRange("refreshTokenExpiry"),
  secretVersion: (value) => typeof value === "string",
  adoptClientId: (value) => typeof value === "string" && value.length > 0,
};

/**
 * The application's own rule for `field`, judged on `value`. The schema (and zod) is loaded here, only when a value
 * is not plainly valid: a program of connectors with usual options (the README's, the benchmark's) does not load them.
 */
function schemaProblem(field: ApplicationOptionField, value: unknown): string | undefined {
  if (PLAINLY_VALID[field](value)) return undefined;
  const schema: typeof import("../schema/oauth-application") = require("../schema/oauth-application");
  const result = (schema.oauthApplicationShape[field] as z.ZodType).safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}
