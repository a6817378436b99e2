// A tenant's `connector` in the fleet file: the AlationClaudeConnector inputs that plain data (YAML, JSON) can give,
// checked with the provider's own field rules, so that a bad value is refused before any stack runs. Credentials are
// not among them: the fleet gives each stack its token through the environment (see tenant-stack.ts).
import { z } from "zod";
import { unreadableNameProblem } from "../domain/readable-names";
import { CONNECTION_CREDENTIAL_FIELDS, SHELL_CREDENTIAL_FIELDS } from "../domain/credential-fields";
import { tenantUrlProblem } from "../domain/urls";
import { connectionSchema } from "../schema/connection";
import { oauthApplicationShape } from "../schema/oauth-application";
import { shellSchema } from "../schema/shell";

const text = (what: string) =>
  z.string({ error: `${what} must be a string` }).min(1, { error: `${what} must not be empty` });

const port = (what: string) =>
  z
    .number({ error: `${what} must be a port number` })
    .int({ error: `${what} must be a whole number from 1 to 65535` })
    .min(1, { error: `${what} must be a whole number from 1 to 65535` })
    .max(65535, { error: `${what} must be a whole number from 1 to 65535` });

const { redirectUris, accessTokenExpiry, refreshTokenExpiry, secretVersion, adoptClientId, name } =
  oauthApplicationShape;

/**
 * `connector.connection`: what a connection holds besides the tenant's address (the tenant's own `baseUrl`) and the
 * credential (from the environment; refused before this schema runs, by credentialFieldsIn).
 */
export const connectionSettingsSchema = z.strictObject({
  caCertificate: connectionSchema.shape.caCertificate,
  timeoutSeconds: connectionSchema.shape.timeoutSeconds,
});

/** The inputs of `connector`. Defaults are the component's: the fleet passes on what the file says, nothing more. */
export const connectorSchema = z.strictObject(
  {
    connectorName: text("connectorName")
      .superRefine((value, ctx) => {
        const problem = unreadableNameProblem("connectorName", value);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
    applicationName: name.optional(),
    tenantUrl: z
      .string({ error: "tenantUrl must be a string" })
      .superRefine((value, ctx) => {
        const problem = tenantUrlProblem(value, "tenantUrl", { pathAllowed: true });
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
    redirectUris: redirectUris.optional(),
    extraRedirectUris: redirectUris.optional(),
    mcpServerId: text("mcpServerId").optional(),
    verifierLogin: z
      .union([z.boolean(), z.strictObject({ callbackPort: port("verifierLogin.callbackPort") })], {
        error: "verifierLogin must be true, false or {callbackPort: N}",
      })
      .optional(),
    manageJwtFeatureFlag: z.boolean({ error: "manageJwtFeatureFlag must be true or false" }).optional(),
    // Optional here, not defaulted: the component applies the defaults.
    accessTokenExpiry: accessTokenExpiry.unwrap().optional(),
    refreshTokenExpiry: refreshTokenExpiry.unwrap().optional(),
    secretVersion,
    adoptClientId,
    connection: connectionSettingsSchema.optional(),
    shell: shellSchema.optional(),
    kubernetesSecret: z
      .strictObject({ namespace: text("kubernetesSecret.namespace"), name: text("kubernetesSecret.name") })
      .optional(),
  },
  { error: (issue) => (issue.code === "invalid_type" ? "connector must be a mapping of inputs" : undefined) },
);

/**
 * A tenant's connector inputs, as the file gives them. The program passes them to AlationClaudeConnector, so the
 * compiler holds them to the component's inputs (program/index.ts).
 */
export type FleetConnector = z.input<typeof connectorSchema>;

/** The last word of each credential field: any key of these names, anywhere in a tenant, is refused. */
const CREDENTIAL_NAMES = new Set(
  [...CONNECTION_CREDENTIAL_FIELDS, ...SHELL_CREDENTIAL_FIELDS].map((field) => field.split(".").pop() as string),
);

/** The path of every credential field in `value`, at any depth (a key of a credential's name, whatever its value). */
export function credentialFieldsIn(value: unknown, path: PropertyKey[] = []): PropertyKey[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => credentialFieldsIn(item, [...path, index]));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) =>
    CREDENTIAL_NAMES.has(key) ? [[...path, key]] : credentialFieldsIn(item, [...path, key]),
  );
}
