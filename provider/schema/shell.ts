// PLACEHOLDER (owned by the shell helper): the zod schema of AlationShell settings, as the runtime receives them.
import { z } from "zod";

export const shellSchema = z.object({}).passthrough();
export type ShellSettings = z.infer<typeof shellSchema>;
