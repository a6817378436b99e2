// The stack's `alation:*` configuration, as the dynamic-provider server hands it to `configure` once per process.
import { CONNECTION_KEY_NAMES, CONNECTION_KEYS, type ConnectionKeyName } from "../domain/connection-keys";

/** What `configure` receives: Pulumi's ConfigureRequest (only its `config.get` is used). */
export interface ConfigureRequest {
  config: { get(key: string): unknown };
}

/** The connection settings the stack config gives (strings, as Pulumi config values are), by their names. */
export type StackConfig = Partial<Record<ConnectionKeyName, string>>;

let stored: StackConfig = {};

/** Stores the stack's `alation:*` values for this process. */
export async function configure(req: ConfigureRequest): Promise<void> {
  const values: StackConfig = {};
  for (const name of CONNECTION_KEY_NAMES) {
    const value = req.config.get(CONNECTION_KEYS[name].config);
    // Config values are strings; a typed value (a number, say) is taken as its text.
    if (typeof value === "string" ? value.length > 0 : typeof value === "number" || typeof value === "boolean") {
      values[name] = String(value);
    }
  }
  stored = values;
}

/** The stored `alation:*` values (empty before `configure`). */
export function stackConfig(): Readonly<StackConfig> {
  return stored;
}
