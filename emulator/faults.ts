// Fault injection: which requests get which fault, reproducibly from a seed.
import { z } from "zod";
import type { FaultKind, FaultOptions } from "./types";

export const FAULT_KINDS: readonly FaultKind[] = ["500", "502", "503", "429", "drop", "drop-after-write", "latency"];
const DEFAULT_KINDS: FaultKind[] = ["500", "502", "503", "429", "drop", "drop-after-write"];
/** By default only the OAuth client admin API (both generations) is faulted: the calls the provider retries. */
export const DEFAULT_FAULT_ROUTES = "^[A-Z]+ /integration/core/v1/(oauth/)?clients(/|$)";

const KINDS_ERROR = `must each be one of ${FAULT_KINDS.join(", ")}`;

const faultOptionsSchema = z
  .object({
    seed: z.number({ error: "must be a whole number" }).int({ error: "must be a whole number" }).optional(),
    rate: z
      .number({ error: "must be a number from 0 to 1" })
      .min(0, { error: "must be a number from 0 to 1" })
      .max(1, { error: "must be a number from 0 to 1" })
      .optional(),
    kinds: z
      .array(z.enum(FAULT_KINDS as [FaultKind, ...FaultKind[]], { error: KINDS_ERROR }))
      .min(1, { error: "must name at least one kind" })
      .optional(),
    retryAfterSeconds: wholeNumber("seconds", 3600),
    latencyMs: wholeNumber("ms", 60000),
    routes: z
      .string({ error: "must be a regular expression" })
      .refine((source) => {
        try {
          new RegExp(source);
          return true;
        } catch {
          return false;
        }
      }, "must be a valid regular expression")
      .optional(),
  })
  .strict();

function wholeNumber(unit: string, max: number) {
  const error = `must be a whole number of ${unit} from 0 to ${max}`;
  return z.number({ error }).int({ error }).min(0, { error }).max(max, { error }).optional();
}

/**
 * Checks fault options from JSON or flags; throws an Error naming each bad field, as `names` calls it (the CLI's
 * flags) or by its key.
 */
export function parseFaultOptions(
  input: unknown,
  names: Partial<Record<keyof FaultOptions, string>> = {},
): FaultOptions {
  const result = faultOptionsSchema.safeParse(input);
  if (!result.success) {
    const reasons = result.error.issues.map((issue) => {
      const key = issue.path[0] as keyof FaultOptions | undefined;
      const field = key === undefined ? "faults" : (names[key] ?? String(key));
      if (issue.code === "unrecognized_keys") return `faults: unknown ${issue.keys.join(", ")}`;
      return `${field} ${issue.message}`;
    });
    throw new Error([...new Set(reasons)].join("; "));
  }
  return result.data;
}

/** A fault chosen for one request, with the numbers it needs. */
export interface Fault {
  kind: FaultKind;
  retryAfterSeconds: number;
  latencyMs: number;
}

/** The faults in force: decides, request by request, from a seeded generator. */
export class FaultPlan {
  private readonly routes: RegExp;
  private readonly kinds: FaultKind[];
  private readonly random: () => number;

  constructor(readonly options: FaultOptions = {}) {
    this.routes = new RegExp(options.routes ?? DEFAULT_FAULT_ROUTES);
    this.kinds = options.kinds ?? DEFAULT_KINDS;
    this.random = mulberry32(options.seed ?? 1);
  }

  /** The fault for a request "METHOD /path", or undefined. Draws only for matching requests. */
  pick(routeKey: string): Fault | undefined {
    const rate = this.options.rate ?? 0;
    if (rate <= 0 || !this.routes.test(routeKey)) return undefined;
    if (this.random() >= rate) return undefined;
    const kind = this.kinds[Math.floor(this.random() * this.kinds.length)];
    return { kind, retryAfterSeconds: this.options.retryAfterSeconds ?? 1, latencyMs: this.options.latencyMs ?? 250 };
  }
}

/** A small seeded generator (mulberry32): the same seed gives the same sequence in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
