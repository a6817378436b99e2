// The lines a bad fleet file gets: one per problem, naming the tenant (or wave) and the field as the user wrote them,
// e.g. `tenant acme (waves[0].tenants[1]): connector.accessTokenExpiry must be at least 3600 seconds`.
import type { z } from "zod";
import { KNOWN_FIELDS } from "./fleet-schema";

/** One problem: where in the file (keys and indices) and what is wrong. */
export interface Problem {
  path: PropertyKey[];
  /** Starts with the field's own name (`accessTokenExpiry must be ...`) or is a sentence about the path. */
  message: string;
}

/** The problems of zod's issues; a field the schema does not know is one problem per field. */
export function problemsOf(issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "unrecognized_keys") return [{ path: issue.path, message: issue.message }];
    const known = knownFieldsAt(issue.path);
    const hint = known ? ` (known: ${known.join(", ")})` : "";
    return issue.keys.map((key) => ({ path: [...issue.path, key], message: `${key} is not a known field${hint}` }));
  });
}

/** The fields known where `path` points (a mapping of the file), if it is one of the file's own levels. */
function knownFieldsAt(path: PropertyKey[]): string[] | undefined {
  const shape = path.map((part) => (typeof part === "number" ? "#" : String(part))).join("/");
  const levels: Record<string, string[]> = {
    "": KNOWN_FIELDS.fleet,
    "waves/#": KNOWN_FIELDS.wave,
    "waves/#/tenants/#": KNOWN_FIELDS.tenant,
    "waves/#/tenants/#/connector": KNOWN_FIELDS.connector,
    "waves/#/tenants/#/connector/connection": KNOWN_FIELDS.connection,
  };
  return levels[shape];
}

/** `connector.redirectUris[1]` from path parts. */
function fieldPath(parts: readonly PropertyKey[]): string {
  return parts.reduce<string>(
    (joined, part) =>
      typeof part === "number" ? `${joined}[${part}]` : joined ? `${joined}.${String(part)}` : String(part),
    "",
  );
}

/**
 * The line of a problem: the tenant (or wave) it is in, named as the file names it, then the field's path inside
 * it. `data` is the parsed file, to read names from (it may be malformed anywhere).
 */
export function problemLine(data: unknown, { path, message }: Problem): string {
  const [waves, w, tenants, t] = path;
  const inWave = waves === "waves" && typeof w === "number";
  const inTenant = inWave && tenants === "tenants" && typeof t === "number";
  const depth = inTenant ? 4 : inWave ? 2 : 0;
  const owner = depth === 0 ? undefined : nameAt(data, path.slice(0, depth));
  const kind = inTenant ? "tenant" : "wave";
  const where =
    depth === 0 ? "" : `${owner ? `${kind} ${owner}` : `the ${kind}`} (${fieldPath(path.slice(0, depth))}): `;
  return where + withField(path.slice(depth), message);
}

/** `connector.accessTokenExpiry must be ...` when the message starts with the field's name, else `field: message`. */
function withField(inner: readonly PropertyKey[], message: string): string {
  if (inner.length === 0) return message;
  const last = inner[inner.length - 1];
  if (typeof last === "string" && message.startsWith(`${last} `)) {
    return `${fieldPath(inner.slice(0, -1))}${inner.length > 1 ? "." : ""}${message}`;
  }
  return `${fieldPath(inner)}: ${message}`;
}

/** The `name` of the mapping at `path` in `data`, when it is a plain one-line string (never any other value). */
function nameAt(data: unknown, path: readonly PropertyKey[]): string | undefined {
  let node: unknown = data;
  for (const part of path) node = node !== null && typeof node === "object" ? (node as never)[part] : undefined;
  const name = node !== null && typeof node === "object" ? (node as { name?: unknown }).name : undefined;
  return typeof name === "string" && /^[\w.-]{1,100}$/.test(name) ? name : undefined;
}
