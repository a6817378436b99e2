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
 * Where a connection setting is read from, in the order tried (the first that gives one is used): the inputs (the
 * resource's `connection`; a component's tenantUrl), then the stack config `alation:*`, then the `ALATION_*`
 * environment variables. Written once: the component reads the tenant's URL by it in the program, the runtime every
 * setting in the provider process.
 */
export function inSourceOrder<T>(sources: { inputs: T[]; stackConfig: T[]; environment: T[] }): T[] {
  return [...sources.inputs, ...sources.stackConfig, ...sources.environment];
}

/**
 * Where a setting can be given, for messages:
 * `connection.baseUrl, stack config alation:baseUrl or ALATION_BASE_URL`.
 */
export function whereToSet(name: ConnectionKeyName): string {
  const key = CONNECTION_KEYS[name];
  return `connection.${key.field}, stack config ${key.config} or ${key.env}`;
}

/** Names people give a setting in stack config that are not its key, lower-cased (`alation:apiToken`). */
const CONFIG_ALIASES: Readonly<Record<string, ConnectionKeyName>> = {
  apitoken: "apiAccessToken",
  accesstoken: "apiAccessToken",
  token: "apiAccessToken",
  url: "baseUrl",
  tenanturl: "baseUrl",
  host: "baseUrl",
  ca: "caCertificate",
  cacert: "caCertificate",
  timeout: "timeoutSeconds",
};

/**
 * The setting a stack config key was meant to be, when it is not one but is close: the same but for case, a known
 * alias, or a typo (one edit, two in a long name). Other `alation:` keys (a program's own, such as the root stack's
 * `alation:tenants`) are not settings and are left alone.
 */
export function intendedConnectionKey(configKey: string): ConnectionKey | undefined {
  const [namespace, name] = configKey.split(":", 2);
  if (namespace !== "alation" || !name || CONNECTION_KEY_NAMES.some((known) => known === name)) return undefined;
  const lower = name.toLowerCase();
  const intended =
    CONNECTION_KEY_NAMES.find((known) => known.toLowerCase() === lower) ??
    CONFIG_ALIASES[lower] ??
    CONNECTION_KEY_NAMES.find((known) => editDistance(known.toLowerCase(), lower) <= (known.length >= 10 ? 2 : 1));
  return intended && CONNECTION_KEYS[intended];
}

/** Each stack config key that is meant to be a setting but is not one: `stack config ... did you mean ...?`. */
export function misspeltConfigKeyProblems(configKeys: Iterable<string>): string[] {
  return [...configKeys].flatMap((configKey) => {
    const intended = intendedConnectionKey(configKey);
    return intended ? [`stack config ${configKey} is not a setting: did you mean ${intended.config}?`] : [];
  });
}

/** Levenshtein distance: the fewest insertions, deletions and substitutions that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
