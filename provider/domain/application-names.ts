// Whose an application is, as far as its name can tell. Names are not reserved in Alation: people make applications
// by hand with the connector guide's exact name (../shared/alation-api.md section 2), so a plain name proves nothing.
// A default name carries a suffix made from the stack and the resource (Pulumi's auto-naming, made deterministic):
// no person and no other stack holds it, and a rerun after a create whose answer never reached the engine finds its
// own application by that name and takes it over, instead of making a second one.
import { createHash } from "node:crypto";

/** What a default name is made from: where the resource lives. */
export interface AutoNameSeed {
  organization: string;
  project: string;
  stack: string;
  /** The resource's own name (its URN's last part). */
  resource: string;
}

/** Hex digits of the suffix: 32 bits, so that two stacks of one tenant do not meet by chance. */
const SUFFIX_LENGTH = 8;

/** `<prefix>-<suffix>`, the suffix a hash of the seed: the same for the same stack and resource, every run. */
export function autoNameOf(prefix: string, seed: AutoNameSeed): string {
  const text = [seed.organization, seed.project, seed.stack, seed.resource].join("\n");
  return `${prefix}-${createHash("sha256").update(text).digest("hex").slice(0, SUFFIX_LENGTH)}`;
}

/** The naming facts a resource's inputs carry: the name it uses, and its default name when it was not given one. */
export interface Naming {
  name: string;
  autoName?: string;
}

/**
 * Whether the name is this resource's own default name: only then does an application found under it belong to
 * this resource (a name kept from before auto-naming, or given by the user, proves nothing).
 */
export function isOwnName(naming: Naming): boolean {
  return naming.autoName !== undefined && naming.name === naming.autoName;
}
