// The zod schema of OAuthApplication's inputs, with Alation's own rules and the connector guide's defaults.
import { z } from "zod";
import { APPLICATION_FIELD_TABLE as FIELDS, APPLICATION_NAME_MAX_LENGTH } from "../domain/application-fields";
import { unreadableNameProblem } from "../domain/readable-names";
import { redirectUriProblem } from "../domain/urls";
import { connectionSchema } from "./connection";
import { shellSchema } from "./shell";
import { isUnknown, UNKNOWN } from "./unknown";

// Alation's rule for one redirect URI lives with the other URL rules (the MCP client presets use it too).
export { redirectUriProblem };

/** Alation's limits, in seconds (the field table's). */
export const ACCESS_TOKEN_EXPIRY = FIELDS.accessTokenExpiry.range;
export const REFRESH_TOKEN_EXPIRY = FIELDS.refreshTokenExpiry.range;

const redirectUriSchema = z.string({ error: "a redirect URI must be a string" }).superRefine((uri, ctx) => {
  const problem = redirectUriProblem(uri);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const expiry = (what: string, range: { min: number; max: number }, fallback: number) =>
  z
    .number({ error: `${what} must be a number of seconds` })
    .min(range.min, { error: `${what} must be at least ${range.min} seconds` })
    .max(range.max, { error: `${what} must be at most ${range.max} seconds` })
    // One message a value: one out of range is not also told to be whole (zod's int() refuses 1e300 as not safe).
    .refine((value) => value < range.min || value > range.max || Number.isInteger(value), {
      error: `${what} must be a whole number of seconds`,
    })
    .default(fallback);

const flag = (what: string, fallback: boolean) =>
  z.boolean({ error: `${what} must be true or false` }).default(fallback);

/**
 * OAuthApplication's inputs as the runtime receives them (plain values, defaults applied by parsing). The application
 * fields are keyed by the field table (provider/domain/application-fields.ts), whose defaults (the connector guide's
 * values for what the user leaves out) and limits they apply; `name` defaults to the resource name.
 */
export const oauthApplicationShape = {
  name: z
    .string({ error: "name is required (a string, unique in the tenant)" })
    .regex(/\S/, { error: "name must not be blank" })
    // A name people read: no control or bidi override character (readable-names.ts says why).
    .superRefine((name, ctx) => {
      const problem = unreadableNameProblem("name", name);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .max(APPLICATION_NAME_MAX_LENGTH, { error: `name must be at most ${APPLICATION_NAME_MAX_LENGTH} characters` }),
  clientType: z
    .enum(["confidential", "public"], { error: 'clientType must be "confidential" or "public"' })
    .default(FIELDS.clientType.default),
  // May be empty: Alation lets a client be created without redirect URIs and get them later (../shared/alation-api.md
  // section 2, the Copilot Studio steps).
  redirectUris: z
    .array(redirectUriSchema, { error: "redirectUris is required: a list of redirect URIs (may be empty)" })
    .superRefine((uris, ctx) => {
      uris.forEach((uri, index) => {
        if (uri !== UNKNOWN && uris.indexOf(uri) < index) {
          ctx.addIssue({ code: "custom", path: [index], message: "this redirect URI is listed twice" });
        }
      });
    }),
  accessTokenExpiry: expiry("accessTokenExpiry", ACCESS_TOKEN_EXPIRY, FIELDS.accessTokenExpiry.default),
  refreshTokenExpiry: expiry("refreshTokenExpiry", REFRESH_TOKEN_EXPIRY, FIELDS.refreshTokenExpiry.default),
  pkceRequired: flag("pkceRequired", FIELDS.pkceRequired.default),
  jwtRequired: flag("jwtRequired", FIELDS.jwtRequired.default),
  isActive: flag("isActive", FIELDS.isActive.default),
  internalApplication: flag("internalApplication", FIELDS.internalApplication.default),
  secretVersion: z.string({ error: "secretVersion must be a string" }).optional(),
  // The resource's default name (a suffix of its stack's and its own): set by the program when no name is given.
  autoName: z.string({ error: "autoName must be a string" }).optional(),
  adoptClientId: z
    .string({ error: "adoptClientId must be a string (a client id)" })
    .min(1, { error: "adoptClientId must not be empty" })
    .optional(),
  connection: connectionSchema.optional(),
  shell: shellSchema.optional(),
};

// Every field of the table has its rule here (a compile-time check).
const _everyFieldRuled: Record<keyof typeof FIELDS, z.ZodType> = oauthApplicationShape;

/** The connector guide's values for what the user leaves out: the defaults of the shape. */
export const APPLICATION_DEFAULTS = defaultsOf(oauthApplicationShape);

/** OAuthApplication's inputs, with the rules across fields. Unknown keys (such as `__provider`) pass through. */
export const oauthApplicationSchema = z
  .looseObject(oauthApplicationShape)
  // Runs even when a field failed, so that every failure is reported at once (fields may have any type here).
  .check(
    z.superRefine(
      (inputs, ctx) => {
        const raw = inputs as Record<string, unknown>;
        if (raw.clientType === "public" && raw.pkceRequired === false) {
          ctx.addIssue({
            code: "custom",
            path: ["pkceRequired"],
            message: "PKCE is required for public clients (pkceRequired: true)",
          });
        }
        // An unknown value may still turn out to be undefined: only known values can conflict.
        const given = (value: unknown) => value !== undefined && !isUnknown(value);
        if (given(raw.connection) && given(raw.shell)) {
          ctx.addIssue({ code: "custom", path: ["shell"], message: "give connection or shell, not both" });
        }
      },
      { when: () => true },
    ),
  );

export type OAuthApplicationInputs = z.infer<typeof oauthApplicationSchema>;

/** The fields of a shape that have a default, each with its default. */
type Defaults<S> = { [K in keyof S as S[K] extends z.ZodDefault ? K : never]: z.output<S[K]> };

function defaultsOf<S extends Record<string, z.ZodType>>(shape: S): Defaults<S> {
  const defaults: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    if (field instanceof z.ZodDefault) defaults[key] = field.parse(undefined);
  }
  return defaults as Defaults<S>;
}
