// The zod schema of FeatureFlag's inputs: one alation_conf key and the value it must hold.
import { z } from "zod";
import { JWT_FEATURE_FLAG } from "../domain/claude-connector";
import { shellSchema } from "./shell";

// Dot-separated parts of letters, digits, '_' and '-' (such as JWT_FEATURE_FLAG). A
// whitelist: whitespace, quotes, `$`, backticks and NUL are refused, and the key cannot pass for an option.
const CONF_KEY = /^[A-Za-z0-9_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;
const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

/** A value alation_conf can store: one line, not mistaken for an option. */
export const confValueSchema = z
  .union([z.boolean(), z.number(), z.string()], { error: "value must be true, false, a number or a string" })
  .superRefine((value, ctx) => {
    if (typeof value === "number" && !Number.isFinite(value)) {
      ctx.addIssue({ code: "custom", message: "value must be a finite number" });
    }
    if (typeof value !== "string") return;
    if (/[\r\n\0]/.test(value)) {
      ctx.addIssue({ code: "custom", message: "value must not hold a newline or NUL: alation_conf stores one line" });
    } else if (value === "") {
      ctx.addIssue({ code: "custom", message: "value must not be empty" });
    } else if (value.startsWith("-") && !NUMBER_TEXT.test(value)) {
      ctx.addIssue({
        code: "custom",
        message: "value must not start with '-': alation_conf would read it as an option",
      });
    }
  });

/** FeatureFlag's input fields. */
export const featureFlagShape = {
  shell: shellSchema,
  key: z
    .string({ error: `key is required: an Alation configuration key such as ${JWT_FEATURE_FLAG}` })
    .max(255, { error: "key must be at most 255 characters" })
    .regex(CONF_KEY, {
      error:
        "key must be an Alation configuration key: dot-separated letters, digits, '_' and '-' (no spaces, quotes, " +
        "$ or backticks)",
    }),
  value: confValueSchema,
  restoreOnDelete: z.boolean({ error: "restoreOnDelete must be true or false" }).default(true),
};

/** FeatureFlag's inputs. Unknown keys (such as `__provider`) pass through. */
export const featureFlagSchema = z.looseObject(featureFlagShape);

/** FeatureFlag's inputs, parsed (defaults applied). */
export type FeatureFlagInputs = z.infer<typeof featureFlagSchema>;
