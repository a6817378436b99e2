// The zod schema of the fleet file: the fleet, its waves, their tenants, each tenant's verify options. Messages start
// with the field's own name (as the provider's schemas do), so that problems.ts can put the path before them.
import { z } from "zod";
import { clientKeyOf, type McpClient } from "../domain/mcp-clients";
import { clientProblems } from "../domain/mcp-client-spec";
import { baseUrlSchema } from "../schema/connection";
import { connectionSettingsSchema, connectorSchema } from "./connector-schema";

/** Pulumi's rule for project and stack names: letters, digits, `-`, `_` and `.`, at most 100 characters. */
const pulumiName = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .regex(/^[A-Za-z0-9_.-]+$/, { error: `${what} may hold only letters, digits, "-", "_" and "." (a Pulumi name)` })
    .max(100, { error: `${what} must be at most 100 characters` });

const wholeNumber = (what: string, min: number, max?: number) => {
  const range = max === undefined ? `${min} or more` : `from ${min} to ${max}`;
  const number = z
    .number({ error: `${what} must be a whole number ${range}` })
    .int({ error: `${what} must be a whole number ${range}` })
    .min(min, { error: `${what} must be a whole number ${range}` });
  return max === undefined ? number : number.max(max, { error: `${what} must be a whole number ${range}` });
};

/** A tenant's `verify` options, when it is not `false`. */
export const verifySchema = z.strictObject(
  {
    /** The verifier's browser login (`verify --login`): needs `connector.verifierLogin`. */
    login: z.boolean({ error: "login must be true or false" }).default(false),
    /** An emulated tenant on loopback http (`verify --emulator`). */
    emulator: z.boolean({ error: "emulator must be true or false" }).default(false),
    timeoutMs: wholeNumber("timeoutMs", 1).optional(),
    loginTimeoutMs: wholeNumber("loginTimeoutMs", 1).optional(),
  },
  { error: (issue) => (issue.code === "invalid_type" ? "verify must be false or a mapping of options" : undefined) },
);

export type TenantVerify = z.output<typeof verifySchema>;

/**
 * `clients`: the MCP clients of a tenant (or, at the top, of every tenant), as the root stack's `alation:clients`
 * takes them: presets, presets with options, `{ redirectUris }`; one connector per client (component/rollout.ts).
 */
export const clientsSchema = z
  .array(z.unknown(), { error: 'clients must be a list of MCP clients (README "MCP clients")' })
  .min(1, { error: "clients must list at least one MCP client" })
  .superRefine((clients, ctx) => {
    const keys = new Set<string>();
    clients.forEach((client, index) => {
      const problems = clientProblems(client);
      for (const { field, message } of problems) {
        // `clients[1].preset must be ...`: a named option in the path, as problems.ts joins it.
        const named = /^\w+$/.test(field);
        ctx.addIssue({ code: "custom", path: named ? [index, field] : [index], message: `${field} ${message}`.trim() });
      }
      const key = problems.length === 0 ? clientKeyOf(client as McpClient) : undefined;
      if (key !== undefined && keys.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: [index],
          message: `is ${key} again (one connector per client and tenant)`,
        });
      }
      if (key !== undefined) keys.add(key);
    });
  });

const tenantSchema = z
  .strictObject(
    {
      name: pulumiName("name"),
      baseUrl: baseUrlSchema,
      apiAccessTokenEnv: z
        .string({ error: "apiAccessTokenEnv must be the name of an environment variable" })
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
          error: "apiAccessTokenEnv must be the name of an environment variable (letters, digits and _)",
        }),
      connector: connectorSchema.optional(),
      clients: clientsSchema.optional(),
      // `false`, or the options (checked below, so that a bad option is named rather than lost in a union).
      verify: z.unknown().optional(),
    },
    { error: (issue) => (issue.code === "invalid_type" ? "a tenant must be a mapping" : undefined) },
  )
  // Runs even when a field failed, so that every problem is reported at once (fields may have any type here).
  .check(z.superRefine((tenant, ctx) => verifyIssues(tenant, ctx.addIssue), { when: () => true }));

type AddIssue = (issue: { code: "custom"; message: string; path: PropertyKey[] }) => void;

/** The problems of a tenant's `verify`, alone and with its connector. */
function verifyIssues(tenant: { verify?: unknown; connector?: unknown }, addIssue: AddIssue): void {
  if (tenant === null || typeof tenant !== "object" || tenant.verify === false) return;
  const verify = verifySchema.safeParse(tenant.verify ?? {});
  if (!verify.success) {
    for (const issue of verify.error.issues) {
      // An issue added here is a custom one: an unknown option is named here, as problems.ts names other fields.
      const known = `is not a known field (known: ${Object.keys(verifySchema.shape).join(", ")})`;
      const unknown = issue.code === "unrecognized_keys" ? issue.keys : [];
      for (const key of unknown) addIssue({ code: "custom", path: ["verify", key], message: `${key} ${known}` });
      if (unknown.length === 0) addIssue({ code: "custom", path: ["verify", ...issue.path], message: issue.message });
    }
    return;
  }
  const connector = tenant.connector as { verifierLogin?: unknown } | undefined;
  if (verify.data.login && !(connector !== null && typeof connector === "object" && connector.verifierLogin)) {
    addIssue({
      code: "custom",
      path: ["verify", "login"],
      message:
        "login needs connector.verifierLogin (true or {callbackPort: N}): the application must list the " +
        "verifier's loopback redirect URI",
    });
  }
}

const waveSchema = z.strictObject(
  {
    name: z.string({ error: "name must be a string" }).min(1, { error: "name must not be empty" }),
    tenants: z
      .array(tenantSchema, { error: "tenants must be a list of tenants" })
      .min(1, { error: "tenants must list at least one tenant" }),
  },
  { error: (issue) => (issue.code === "invalid_type" ? "a wave must be a mapping (name, tenants)" : undefined) },
);

/** The default backend: a folder beside the fleet file. */
const DEFAULT_BACKEND = "file://./.fleet-state";
/** Stacks at once within a wave, by default. */
const DEFAULT_PARALLEL = 4;

export const fleetSchema = z.strictObject(
  {
    project: pulumiName("project"),
    backend: z
      .string({ error: "backend must be a Pulumi backend URL" })
      .regex(/^[a-z][a-z0-9+.-]*:\/\/./i, { error: "backend must be a Pulumi backend URL (file://, s3://, https://)" })
      .default(DEFAULT_BACKEND),
    // Each stack at once is a CLI, a program and a provider process (a few hundred MB): a bound, not a target.
    parallel: wholeNumber("parallel", 1, 32).default(DEFAULT_PARALLEL),
    secretsProvider: z.string({ error: "secretsProvider must be a string" }).min(1).optional(),
    /** Every tenant's MCP clients, unless the tenant lists its own (default: Claude's connector alone). */
    clients: clientsSchema.optional(),
    waves: z
      .array(waveSchema, { error: "waves must be a list of waves" })
      .min(1, { error: "waves must list at least one wave" }),
  },
  {
    error: (issue) => (issue.code === "invalid_type" ? "the fleet file must be a mapping (project, waves)" : undefined),
  },
);

/** The fields each level of the file knows, for the message about a field it does not. */
export const KNOWN_FIELDS = {
  fleet: Object.keys(fleetSchema.shape),
  wave: Object.keys(waveSchema.shape),
  tenant: Object.keys(tenantSchema.shape),
  connector: Object.keys(connectorSchema.shape),
  connection: Object.keys(connectionSettingsSchema.shape),
};
