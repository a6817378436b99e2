// Resolves the connection to a tenant when an operation runs, from its sources in order (inSourceOrder: the
// resource's `connection` inputs, the stack config, the environment). The address, CA and timeout are taken
// field by field; the credential as a whole from the first source that has one (never mixed across sources).
//
// What state records: the connection without a credential that came from the environment. The environment is a
// command's own (the fleet gives each stack's CLI run its tenant's token there), so read and delete use the one the
// command has, never an older one recorded; a credential from the inputs or the stack config is recorded.
//
// Rotated credentials: read and delete use the connection recorded in state (so a destroy works without the
// program's config). When that recorded credential is refused (401/403) and the stack config or environment now
// holds a different one, the call is repeated once with it; a refresh then records the working one. Refresh and
// destroy get the stack config of the last `up` (the engine configures providers from state), so after a token was
// rotated: `pulumi up` with the new `alation:apiAccessToken` first, or ALATION_API_ACCESS_TOKEN for that command.
import { readFileSync } from "node:fs";
import { credentialsOf, originOf, type ConnectionSettings } from "../alation/settings";
import { storeFailureOf } from "../domain/application-store";
import {
  CONNECTION_KEYS,
  CREDENTIAL_WAYS,
  inSourceOrder,
  whereToSet,
  type ConnectionKey,
  type ConnectionKeyName,
} from "../domain/connection-keys";
import { baseUrlProblem, type ConnectionInputs } from "../schema/connection";
import { stackConfig } from "./stack-config";

type CredentialFields = Pick<ConnectionSettings, "apiAccessToken" | "refreshToken" | "userId" | "clientCredentials">;

interface ConnectionSource {
  /** Where the values come from, for messages. */
  name: string;
  baseUrl?: string;
  caCertificate?: string;
  timeoutSeconds?: number | string;
  credentials: CredentialFields;
}

/** The connection to use for `inputs` (the resource's `connection`, possibly absent). */
export function resolveConnection(inputs: ConnectionInputs | ConnectionSettings | undefined): ConnectionSettings {
  return combine(inSourceOrder({ inputs: [inputSource(inputs)], ...fallbackSources() }));
}

/** Connections whose credential is the environment's (see the top of this file): resolved objects, by identity. */
const fromEnvironment = new WeakSet<ConnectionSettings>();

/** The connection as state records it: without its credential when that came from the environment. */
export function connectionToRecord(connection: ConnectionSettings): ConnectionSettings {
  return fromEnvironment.has(connection) ? withoutCredentials(connection) : connection;
}

/** The value the stack config, else the environment, gives for a setting (no file is read, nothing is checked). */
export function fallbackValue(name: ConnectionKeyName): string | undefined {
  const values = inSourceOrder({
    inputs: [],
    stackConfig: [stackConfig()[name]],
    environment: [process.env[CONNECTION_KEYS[name].env]],
  });
  return values.find((value) => value !== undefined);
}

/**
 * Runs `operation` with the connection recorded in state; if the tenant refuses its credential (401/403) and the
 * stack config or environment holds a different credential, runs it once more with that one.
 * Returns the result and the connection that worked (to record it).
 */
export async function withRecordedConnection<T>(
  recorded: ConnectionSettings | undefined,
  operation: (connection: ConnectionSettings) => Promise<T>,
): Promise<{ result: T; connection: ConnectionSettings }> {
  const connection = recorded && hasCredentials(recorded) ? recorded : resolveConnection(recorded);
  try {
    return { result: await operation(connection), connection };
  } catch (error) {
    if (storeFailureOf(error) !== "auth") throw error;
    const current = currentCredentials(connection);
    if (!current) throw withRotationFix(error);
    return { result: await operation(current), connection: current };
  }
}

/**
 * A refused recorded credential's error, with the way out after a rotation: refresh and destroy are configured from
 * the last `up`'s stack config, so the config set since is not seen (the README's "After a token was rotated").
 */
function withRotationFix(error: unknown): unknown {
  const { config, env } = CONNECTION_KEYS.apiAccessToken;
  if (error instanceof Error) {
    error.message +=
      "; refresh and destroy use the credential and stack config of the last pulumi up: after a token was rotated, " +
      `run pulumi up with the new one in ${config} first, or give it as ${env} for this command`;
  }
  return error;
}

/**
 * The connection with the credential the stack config, else the environment, holds now and `recorded` does not.
 * Refresh and destroy get the stack config the last `up` recorded, which may hold the refused credential still:
 * then the environment's is the one to try.
 */
function currentCredentials(recorded: ConnectionSettings): ConnectionSettings | undefined {
  const source = inSourceOrder({ inputs: [], ...fallbackSources() }).find(
    (candidate) => hasCredentials(candidate.credentials) && !sameCredentials(candidate.credentials, recorded),
  );
  if (!source) return undefined;
  const current = { ...withoutCredentials(recorded), ...source.credentials };
  if (source.name === ENVIRONMENT) fromEnvironment.add(current);
  return current;
}

function combine(sources: ConnectionSource[]): ConnectionSettings {
  const first = <K extends "baseUrl" | "caCertificate" | "timeoutSeconds">(key: K) =>
    sources.find((source) => source[key] !== undefined && source[key] !== "");
  const baseUrlSource = first("baseUrl");
  if (!baseUrlSource?.baseUrl) throw new Error(`Alation connection: no baseUrl; set ${whereToSet("baseUrl")}`);
  const problem = baseUrlProblem(baseUrlSource.baseUrl);
  if (problem) throw new Error(`Alation connection (${baseUrlSource.name}): ${problem}`);
  const credentialSource = sources.find((source) => hasCredentials(source.credentials));
  if (!credentialSource) throw new Error(`Alation connection: no credential; ${noCredentialFix()}`);
  const settings: ConnectionSettings = { baseUrl: originOf(baseUrlSource.baseUrl), ...credentialSource.credentials };
  try {
    credentialsOf(settings);
  } catch (error) {
    throw new Error(`${(error as Error).message} (from ${credentialSource.name})`);
  }
  const ca = first("caCertificate");
  if (ca?.caCertificate) settings.caCertificate = ca.caCertificate;
  const timeout = first("timeoutSeconds");
  if (timeout?.timeoutSeconds !== undefined) {
    const seconds = Number(timeout.timeoutSeconds);
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new Error(`Alation connection (${timeout.name}): timeoutSeconds must be a positive number`);
    settings.timeoutSeconds = seconds;
  }
  if (credentialSource.name === ENVIRONMENT) fromEnvironment.add(settings);
  return settings;
}

function inputSource(inputs: ConnectionInputs | ConnectionSettings | undefined): ConnectionSource {
  return {
    name: "the resource's connection",
    baseUrl: inputs?.baseUrl,
    caCertificate: inputs?.caCertificate,
    timeoutSeconds: inputs?.timeoutSeconds,
    credentials: pickCredentials({
      apiAccessToken: inputs?.apiAccessToken,
      refreshToken: inputs?.refreshToken,
      userId: inputs?.userId,
      clientCredentials: inputs?.clientCredentials,
    }),
  };
}

const ENVIRONMENT = "environment ALATION_*";

/** The sources after the inputs: the stack config and the environment. */
function fallbackSources(): { stackConfig: ConnectionSource[]; environment: ConnectionSource[] } {
  const config = stackConfig();
  const environment = sourceOf(ENVIRONMENT, (name) => {
    const value = process.env[CONNECTION_KEYS[name].env];
    return name === "caCertificate" ? pemOrFile(value) : value;
  });
  return { stackConfig: [sourceOf("stack config alation:*", (name) => config[name])], environment: [environment] };
}

/** A source of settings given by name (stack config and environment values are strings). */
function sourceOf(name: string, valueOf: (name: ConnectionKeyName) => string | undefined): ConnectionSource {
  return {
    name,
    baseUrl: valueOf("baseUrl"),
    caCertificate: valueOf("caCertificate"),
    timeoutSeconds: valueOf("timeoutSeconds"),
    credentials: pickCredentials({
      apiAccessToken: valueOf("apiAccessToken"),
      refreshToken: valueOf("refreshToken"),
      userId: valueOf("userId"),
      clientCredentials: clientCredentialsOf(valueOf("clientId"), valueOf("clientSecret")),
    }),
  };
}

/**
 * What to give when no source has a credential, every way in each source's names: `connection.apiAccessToken (or
 * refreshToken + userId, or clientCredentials), stack config alation:apiAccessToken (...), or ALATION_... (...)`.
 */
function noCredentialFix(): string {
  const ways = (nameOf: (key: ConnectionKey) => string) =>
    CREDENTIAL_WAYS.map((way) => [...new Set(way.map((name) => nameOf(CONNECTION_KEYS[name])))].join(" + "));
  const [field, ...fields] = ways((key) => key.field.split(".")[0]);
  const [config, ...configs] = ways((key) => key.config);
  const [env, ...envs] = ways((key) => key.env);
  return (
    `give connection.${field} (or ${fields.join(", or ")}), stack config ${config} (${configs.join(", ")}), ` +
    `or ${env} (${envs.join(", ")})`
  );
}

// A half-given pair stays visible (and is then refused by credentialsOf with a clear message).
function clientCredentialsOf(
  clientId: string | undefined,
  clientSecret: string | undefined,
): CredentialFields["clientCredentials"] {
  return clientId || clientSecret ? { clientId: clientId ?? "", clientSecret: clientSecret ?? "" } : undefined;
}

// ALATION_CA_CERTIFICATE holds PEM text or, since a multi-line variable is awkward, the path of a PEM file.
function pemOrFile(value: string | undefined): string | undefined {
  if (!value || value.includes("-----BEGIN")) return value || undefined;
  try {
    return readFileSync(value, "utf8");
  } catch {
    throw new Error(`${CONNECTION_KEYS.caCertificate.env} is neither PEM text nor the path of a readable PEM file`);
  }
}

function pickCredentials(fields: CredentialFields): CredentialFields {
  const picked: CredentialFields = {};
  if (fields.apiAccessToken) picked.apiAccessToken = fields.apiAccessToken;
  if (fields.refreshToken) picked.refreshToken = fields.refreshToken;
  if (fields.userId !== undefined && fields.userId !== "") picked.userId = fields.userId;
  if (fields.clientCredentials) picked.clientCredentials = fields.clientCredentials;
  return picked;
}

function hasCredentials(fields: CredentialFields): boolean {
  return Object.keys(pickCredentials(fields)).length > 0;
}

function sameCredentials(a: CredentialFields, b: CredentialFields): boolean {
  const key = (fields: CredentialFields) => {
    const picked = pickCredentials(fields);
    const client = picked.clientCredentials;
    return JSON.stringify([
      picked.apiAccessToken,
      picked.refreshToken,
      picked.userId?.toString(),
      client?.clientId,
      client?.clientSecret,
    ]);
  };
  return key(a) === key(b);
}

function withoutCredentials(settings: ConnectionSettings): ConnectionSettings {
  const { apiAccessToken: _a, refreshToken: _r, userId: _u, clientCredentials: _c, ...rest } = settings;
  return rest;
}
