// The zod schema of `connection` (AlationConnection) as the runtime receives it. Every field is optional: missing
// pieces come from stack config and the environment at call time. Messages never quote a credential.
import { z } from "zod";
import { tenantUrlProblem } from "../domain/urls";
import { isUnknown } from "./unknown";

/** `https://TENANT`: https (http only for a loopback host), no path, query, fragment or user info. */
export const baseUrlSchema = z.string({ error: "baseUrl must be a string" }).superRefine((value, ctx) => {
  const problem = baseUrlProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** Why `value` is not a usable tenant base URL, or undefined. */
export function baseUrlProblem(value: string): string | undefined {
  return tenantUrlProblem(value, "baseUrl");
}

const secretText = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, { error: `${what} must not be empty` })
    .regex(/^\S+$/, { error: `${what} must not hold spaces or line breaks` });

/** A service account's client credentials. */
export const clientCredentialsSchema = z.strictObject({
  clientId: secretText("clientCredentials.clientId"),
  clientSecret: secretText("clientCredentials.clientSecret"),
});

/** `connection`, as given on a resource. */
export const connectionSchema = z
  .strictObject({
    baseUrl: baseUrlSchema.optional(),
    apiAccessToken: secretText("apiAccessToken").optional(),
    refreshToken: secretText("refreshToken").optional(),
    userId: z
      .union([z.number().int().positive(), z.string().regex(/^\d+$/)], { error: "userId must be a positive integer" })
      .optional(),
    clientCredentials: clientCredentialsSchema.optional(),
    caCertificate: z
      .string({ error: "caCertificate must be a string" })
      .refine((value) => value.includes("-----BEGIN CERTIFICATE-----"), {
        error: "caCertificate must be PEM text (-----BEGIN CERTIFICATE-----)",
      })
      .optional(),
    timeoutSeconds: z
      .number({ error: "timeoutSeconds must be a number" })
      .positive({ error: "timeoutSeconds must be more than 0" })
      .max(600, { error: "timeoutSeconds must be at most 600" })
      .optional(),
  })
  // Runs even when a field failed, so that every failure is reported at once (fields may have any type here).
  .check(z.superRefine((connection, ctx) => authModeIssues(connection, ctx.addIssue), { when: () => true }));

export type ConnectionInputs = z.infer<typeof connectionSchema>;

const CREDENTIAL_KEYS = ["apiAccessToken", "refreshToken", "userId", "clientCredentials"];

type AddIssue = (issue: { code: "custom"; message: string; path?: PropertyKey[] }) => void;

/** Exactly one way to authenticate when any credential is given; refreshToken and userId go together. */
function authModeIssues(connection: Record<string, unknown>, addIssue: AddIssue): void {
  // Runs even when `connection` is not an object at all (null, say): that failure is reported already.
  if (connection === null || typeof connection !== "object") return;
  // An unknown credential may still turn out to be undefined: judge only when all are known.
  if (CREDENTIAL_KEYS.some((key) => isUnknown(connection[key]))) return;
  const has = (key: string) => connection[key] !== undefined;
  if (has("refreshToken") !== has("userId")) {
    addIssue({
      code: "custom",
      path: [has("refreshToken") ? "userId" : "refreshToken"],
      message: "refreshToken and userId go together",
    });
  }
  const modes = [has("apiAccessToken"), has("refreshToken") || has("userId"), has("clientCredentials")].filter(Boolean);
  if (modes.length > 1) {
    addIssue({
      code: "custom",
      message: "give exactly one way to authenticate: apiAccessToken, refreshToken + userId, or clientCredentials",
    });
  }
}
