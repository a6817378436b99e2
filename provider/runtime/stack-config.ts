// The stack's `alation:*` configuration, as the dynamic-provider server hands it to `configure` once per process.

/** What `configure` receives: Pulumi's ConfigureRequest (only its `config.get` is used). */
export interface ConfigureRequest {
  config: { get(key: string): unknown };
}

/** The `alation:*` values of the stack (strings, as Pulumi config values are). */
export interface StackConfig {
  baseUrl?: string;
  apiAccessToken?: string;
  refreshToken?: string;
  userId?: string;
  /** A service account's client id (with clientSecret: client credentials). */
  clientId?: string;
  clientSecret?: string;
  caCertificate?: string;
  timeoutSeconds?: string;
}

const KEYS: ReadonlyArray<keyof StackConfig> = [
  "baseUrl",
  "apiAccessToken",
  "refreshToken",
  "userId",
  "clientId",
  "clientSecret",
  "caCertificate",
  "timeoutSeconds",
];

let stored: StackConfig = {};

/** Stores the stack's `alation:*` values for this process. */
export async function configure(req: ConfigureRequest): Promise<void> {
  const values: StackConfig = {};
  for (const key of KEYS) {
    const value = req.config.get(`alation:${key}`);
    // Config values are strings; a typed value (a number, say) is taken as its text.
    if (typeof value === "string" ? value.length > 0 : typeof value === "number" || typeof value === "boolean") {
      values[key] = String(value);
    }
  }
  stored = values;
}

/** The stored `alation:*` values (empty before `configure`). */
export function stackConfig(): Readonly<StackConfig> {
  return stored;
}
