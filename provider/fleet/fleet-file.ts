// The fleet file (YAML, or JSON, which is YAML too): read, checked whole, and refused with one line per problem, each
// naming the tenant and the field, before any stack runs. Values are never quoted: a credential written by mistake
// must not reach a terminal or a CI log.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import type { McpClient } from "../domain/mcp-clients";
import { credentialFieldsIn, type FleetConnector } from "./connector-schema";
import { fleetSchema, verifySchema, type TenantVerify } from "./fleet-schema";
import { problemLine, problemsOf, type Problem } from "./problems";

export type { TenantVerify } from "./fleet-schema";
export type { FleetConnector } from "./connector-schema";

/** One tenant: one stack, named after it. */
export interface FleetTenant {
  name: string;
  wave: string;
  /** `https://TENANT`. */
  baseUrl: string;
  /** The environment variable that holds the tenant's API access token (never the token). */
  apiAccessTokenEnv: string;
  /** The connector inputs as the file gives them. */
  connector: FleetConnector;
  /** The MCP clients, one connector each: the tenant's `clients`, else the file's, else Claude's alone. */
  clients: McpClient[];
  /** How to verify the tenant after its `up`; false: not verified. */
  verify: TenantVerify | false;
}

export interface FleetWave {
  name: string;
  tenants: FleetTenant[];
}

/** A checked fleet file. */
export interface Fleet {
  /** The file's path, for messages. */
  file: string;
  /** The Pulumi project of the per-tenant stacks. */
  project: string;
  /** The Pulumi backend URL; a relative `file://` path made absolute against the file's folder. */
  backend: string;
  /** How many stacks run at once within a wave. */
  parallel: number;
  /** The secrets provider of new stacks (default: Pulumi's, the passphrase on a self-managed backend). */
  secretsProvider?: string;
  waves: FleetWave[];
}

/** A fleet file that cannot be used; `problems` are its lines, each naming the tenant and the field. */
export class FleetFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.map((problem) => `${file}: ${problem}`).join("\n"));
    this.name = "FleetFileError";
  }
}

/** Reads and checks the fleet file at `file`. */
export function loadFleetFile(file: string): Fleet {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new FleetFileError(file, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`]);
  }
  return parseFleet(text, file);
}

/** Checks the text of a fleet file; `file` names it in messages and anchors a relative `file://` backend. */
export function parseFleet(text: string, file: string): Fleet {
  let data: unknown;
  try {
    // Merge keys (`<<: *common`) let many tenants share settings; aliases are bounded against alias bombs.
    data = parseYaml(text, { merge: true, uniqueKeys: true, maxAliasCount: 1000 });
  } catch (error) {
    // The parser's message and position, without the excerpt of the file that follows them.
    throw new FleetFileError(file, [`is not valid YAML or JSON: ${(error as Error).message.split(":\n")[0]}`]);
  }
  // Every problem at once, one line each: the credentials written in the file, then what the schema and the rules
  // across tenants find elsewhere (a credential's own field is named once, as a credential, not also as unknown).
  const credentials = credentialFieldsIn(data);
  const problems: Problem[] = credentials.map((field) => ({
    path: field,
    message:
      `${String(field[field.length - 1])} is a credential, which a fleet file must not hold: credentials come from ` +
      "the environment (a tenant's API access token from the variable its apiAccessTokenEnv names)",
  }));
  const atCredential = (problem: Problem) =>
    credentials.some((field) => field.every((part, index) => problem.path[index] === part));
  const parsed = fleetSchema.safeParse(data);
  if (!parsed.success) problems.push(...problemsOf(parsed.error.issues).filter((problem) => !atCredential(problem)));
  problems.push(...crossTenantProblems(data));
  if (problems.length > 0 || !parsed.success) {
    throw new FleetFileError(
      file,
      problems.map((problem) => problemLine(data, problem)),
    );
  }
  return fleetOf(parsed.data, data as RawFleet, file);
}

type ParsedFleet = z.output<typeof fleetSchema>;
type RawFleet = z.input<typeof fleetSchema>;

/**
 * Rules across tenants: wave and tenant names unique (tenant names are stack names: in more than case), one stack per
 * application of a tenant. Judged on the data as parsed, so that they are reported with the schema's problems.
 */
function crossTenantProblems(data: unknown): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  /** The name of whoever had `key` before, after recording `owner` as its holder. */
  const earlier = (key: string, owner: string) => {
    const before = seen.get(key);
    seen.set(key, before ?? owner);
    return before;
  };
  listAt(data, "waves").forEach((wave, w) => {
    const waveName = textAt(wave, "name");
    if (waveName !== undefined && earlier(`wave ${waveName}`, waveName) !== undefined) {
      problems.push({ path: ["waves", w, "name"], message: "name is an earlier wave's" });
    }
    listAt(wave, "tenants").forEach((tenant, t) => {
      const at = ["waves", w, "tenants", t];
      const name = textAt(tenant, "name") ?? `#${w}.${t}`;
      const sameName = earlier(`tenant ${name.toLowerCase()}`, name);
      if (sameName !== undefined) {
        problems.push({
          path: [...at, "name"],
          message: `name is tenant ${sameName}'s (names must differ in more than case)`,
        });
      }
      const baseUrl = textAt(tenant, "baseUrl");
      // A default name is each stack's own (its suffix is the stack's): only names given can meet.
      const applicationName = textAt(textAt(tenant, "connector", "object"), "applicationName");
      const sameApplication =
        applicationName && baseUrl && URL.canParse(baseUrl)
          ? earlier(`application ${new URL(baseUrl).origin} ${applicationName}`, name)
          : undefined;
      if (sameApplication !== undefined) {
        const message =
          `baseUrl and connector.applicationName are tenant ${sameApplication}'s: two stacks would manage one ` +
          "application (give each an applicationName of its own)";
        problems.push({ path: [...at, "baseUrl"], message });
      }
    });
  });
  return problems;
}

/** The list at `key` of `value`, or none. */
function listAt(value: unknown, key: string): unknown[] {
  const list = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  return Array.isArray(list) ? list : [];
}

/** The string (or, asked for, the object) at `key` of `value`, or undefined. */
function textAt(value: unknown, key: string): string | undefined;
function textAt(value: unknown, key: string, kind: "object"): object | undefined;
function textAt(value: unknown, key: string, kind: "string" | "object" = "string"): unknown {
  const item = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  return typeof item === kind && item !== null ? item : undefined;
}

function fleetOf(parsed: ParsedFleet, raw: RawFleet, file: string): Fleet {
  return {
    file,
    project: parsed.project,
    backend: absoluteBackend(parsed.backend, path.dirname(path.resolve(file))),
    parallel: parsed.parallel,
    secretsProvider: parsed.secretsProvider,
    waves: parsed.waves.map((wave, w) => ({
      name: wave.name,
      tenants: wave.tenants.map((tenant, t) => ({
        name: tenant.name,
        wave: wave.name,
        baseUrl: new URL(tenant.baseUrl).origin,
        apiAccessTokenEnv: tenant.apiAccessTokenEnv,
        // As written, without the schema's defaults: the component applies its own, so the stack's config holds
        // only what the file says.
        connector: (raw.waves[w].tenants[t].connector ?? {}) as FleetConnector,
        clients: (tenant.clients ?? parsed.clients ?? ["claude"]) as McpClient[],
        verify: tenant.verify === false ? false : verifySchema.parse(tenant.verify ?? {}),
      })),
    })),
  };
}

/** `file://./x` and `file://x` against `dir`; any other URL (`file:///abs`, `file://~`, `s3://`...) as it is. */
function absoluteBackend(url: string, dir: string): string {
  const local = /^file:\/\/(.*)$/.exec(url)?.[1];
  if (local === undefined || local.startsWith("/") || local.startsWith("~")) return url;
  return `file://${path.resolve(dir, local)}`;
}
