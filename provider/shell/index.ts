// The shell path's entry point for the runtime: a transport from AlationShell settings, the OAuth application
// store over alation_django_shell, and alation_conf for feature flags. No Pulumi here.
import type { ApplicationStore } from "../domain/application-store";
import type { ShellSettings } from "../schema/shell";
import { ConfValue, readConf, writeConf } from "./alation-conf";
import { createDjangoApplicationStore } from "./application-store";
import { ShellError } from "./errors";
import { createKubernetesTransport } from "./kubernetes";
import { createLocalTransport } from "./local";
import { createSshTransport } from "./ssh";
import { Transport } from "./transport";

export { ShellError, type ShellErrorKind } from "./errors";
export { confValueAs, formatConfValue, type ConfValue } from "./alation-conf";
export type { CommandResult, RunOptions, Transport } from "./transport";

// The Django shell loads the whole application before it runs a line: it is given more time than alation_conf.
const DJANGO_SHELL_TIMEOUT_MS = 180_000;
const CONF_TIMEOUT_MS = 60_000;

/** The transport the settings name. The SSH and Kubernetes libraries are loaded only when a command runs. */
export function createShellTransport(settings: ShellSettings): Transport {
  if (settings.kubernetes) return createKubernetesTransport(settings.kubernetes);
  if (settings.ssh) return createSshTransport(settings.ssh);
  if (settings.local) return createLocalTransport();
  throw new ShellError("config", "shell settings name none of kubernetes, ssh and local");
}

/** An ApplicationStore that works through `alation_django_shell` on the tenant's pod or host. Sets every field. */
export function createShellApplicationStore(settings: ShellSettings): ApplicationStore {
  const timeoutMs = settings.timeoutSeconds ? settings.timeoutSeconds * 1000 : DJANGO_SHELL_TIMEOUT_MS;
  return createDjangoApplicationStore(createShellTransport(settings), timeoutMs);
}

/** The tenant's configuration values, through `alation_conf`. */
export interface ShellConf {
  /** Where the commands run, for messages. */
  readonly target: string;
  /** The value as alation_conf prints it (trimmed), or undefined when it printed none. */
  readConf(key: string): Promise<string | undefined>;
  /** Sets the value (booleans written True/False). */
  writeConf(key: string, value: ConfValue): Promise<void>;
}

/** alation_conf on the tenant's pod or host. */
export function createShellConf(settings: ShellSettings): ShellConf {
  const transport = createShellTransport(settings);
  const timeoutMs = settings.timeoutSeconds ? settings.timeoutSeconds * 1000 : CONF_TIMEOUT_MS;
  return {
    target: transport.target,
    readConf: (key) => readConf(transport, key, timeoutMs),
    writeConf: (key, value) => writeConf(transport, key, value, timeoutMs),
  };
}
