// The settings of a connection that stack config and the environment can give, with their names there: the one table
// that the runtime reads them by and that messages name. The README's "Authenticating to Alation" table lists the same
// (tests/docs/connection-keys.test.ts holds the two together).

/** One setting: its path in `connection`, its stack config key and its environment variable. */
export interface ConnectionKey {
  field: string;
  config: string;
  env: string;
}

/** Every setting, in the order messages and the README name them. */
export const CONNECTION_KEYS = {
  baseUrl: { field: "baseUrl", config: "alation:baseUrl", env: "ALATION_BASE_URL" },
  apiAccessToken: { field: "apiAccessToken", config: "alation:apiAccessToken", env: "ALATION_API_ACCESS_TOKEN" },
  refreshToken: { field: "refreshToken", config: "alation:refreshToken", env: "ALATION_REFRESH_TOKEN" },
  userId: { field: "userId", config: "alation:userId", env: "ALATION_USER_ID" },
  /** A service account's client id (with clientSecret: client credentials). */
  clientId: { field: "clientCredentials.clientId", config: "alation:clientId", env: "ALATION_CLIENT_ID" },
  clientSecret: {
    field: "clientCredentials.clientSecret",
    config: "alation:clientSecret",
    env: "ALATION_CLIENT_SECRET",
  },
  /** PEM text; in the environment, PEM text or the path of a PEM file. */
  caCertificate: { field: "caCertificate", config: "alation:caCertificate", env: "ALATION_CA_CERTIFICATE" },
  timeoutSeconds: { field: "timeoutSeconds", config: "alation:timeoutSeconds", env: "ALATION_TIMEOUT_SECONDS" },
} as const satisfies Record<string, ConnectionKey>;

/** The name of a setting. */
export type ConnectionKeyName = keyof typeof CONNECTION_KEYS;

/** Every setting's name. */
export const CONNECTION_KEY_NAMES = Object.keys(CONNECTION_KEYS) as ConnectionKeyName[];

/** The three ways to authenticate, each by the settings it takes. */
export const CREDENTIAL_WAYS: ReadonlyArray<ReadonlyArray<ConnectionKeyName>> = [
  ["apiAccessToken"],
  ["refreshToken", "userId"],
  ["clientId", "clientSecret"],
];

/**
 * Where a setting can be given, for messages:
 * `connection.baseUrl, stack config alation:baseUrl or ALATION_BASE_URL`.
 */
export function whereToSet(name: ConnectionKeyName): string {
  const key = CONNECTION_KEYS[name];
  return `connection.${key.field}, stack config ${key.config} or ${key.env}`;
}
