// PLACEHOLDER (owned by the shell helper): the shell path's entry point for the runtime.
import type { ApplicationStore } from "../alation/types";
import type { ShellSettings } from "../schema/shell";

/** An ApplicationStore that works through `alation_django_shell` on the tenant's pod or host. */
export function createShellApplicationStore(_settings: ShellSettings): ApplicationStore {
  throw new Error("the shell path is not implemented yet");
}
