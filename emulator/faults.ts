// Fault injection: which requests get which fault, reproducibly from a seed.
import { z } from "zod";
import type { FaultKind, FaultOptions } from "./types";

export const FAULT_KINDS: readonly FaultKind[] = ["500", "502", "503", "429", "drop", "drop-after-write", "latency"];
const DEFAULT_KINDS: FaultKind[] = ["500", "502", "503", "429", "drop", "drop-after-write"];
/** By default only the OAuth client admin API is faulted: the calls the provider retries. */
export const DEFAULT_FAULT_ROUTES = "^[A-Z]+ /integration/core/v1/oauth/clients(/|$)";

const faultOptionsSchema = z
  .object({
    seed: z.number().int().optional(),
    rate: z.number().min(0).max(1).optional(),
    kinds: z.array(z.enum(FAULT_KINDS as [FaultKind, ...FaultKind[]])).min(1).optional(),
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
    latencyMs: z.number().int().min(0).max(60000).optional(),
    routes: z
      .string()
      .refine((source) => {
        try {
          new RegExp(source);
          return true;
        } catch {
          return false;
        }
      }, "not a valid regular expression")
      .optional(),
  })
  .strict();

/** Checks fault options from JSON or flags; throws an Error naming the bad fields. */
export function parseFaultOptions(input: unknown): FaultOptions {
  const result = faultOptionsSchema.safeParse(input);
  if (!result.success) {
    throw new Error(result.error.issues.map((i) => `${i.path.join(".") || "faults"}: ${i.message}`).join("; "));
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
