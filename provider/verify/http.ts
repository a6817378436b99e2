// HTTP for the verifier: every call bounded in time, and no redirect ever followed behind our back
// (a 307 from /mcp to /mcp/ is a finding, not a detail to paper over).
import type { FetchFn } from "./types";

/** A redirect that a call refused to follow. */
export class RedirectNotFollowedError extends Error {
  constructor(
    /** The HTTP status (301, 302, 307, 308...). */
    readonly status: number,
    /** The URL that redirected, without its query. */
    readonly from: string,
    /** Where it pointed, without its query. */
    readonly to: string,
  ) {
    super(`HTTP ${status} redirect from ${from} to ${to} (not followed)`);
    this.name = "RedirectNotFollowedError";
  }
}

/** The two fetches the verifier uses, both bounded by the timeout. */
export interface VerifierHttp {
  /** Answers 3xx as they are (redirect "manual"): for probes that look at the redirect. */
  probe: FetchFn;
  /** Throws RedirectNotFollowedError on 3xx: for the MCP SDK's calls, which would otherwise follow them. */
  strict: FetchFn;
  /** The bound of each call, in milliseconds. */
  timeoutMs: number;
}

/** Builds the verifier's fetches over `base` (default: the global fetch). */
export function createVerifierHttp(timeoutMs: number, base: FetchFn = fetch): VerifierHttp {
  const probe: FetchFn = (url, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return base(url, { ...init, redirect: "manual", signal });
  };
  const strict: FetchFn = async (url, init) => {
    const response = await probe(url, init);
    if (isRedirect(response.status)) {
      await response.body?.cancel();
      throw new RedirectNotFollowedError(response.status, withoutQuery(String(url)), redirectTarget(response, url));
    }
    return response;
  };
  return { probe, strict, timeoutMs };
}

/** True for the statuses that redirect. */
export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

/** Where a redirect points, resolved against the request URL, without its query (it may carry a code). */
export function redirectTarget(response: Response, requestUrl: string | URL): string {
  const location = response.headers.get("location");
  if (!location) return "(no Location header)";
  try {
    return withoutQuery(new URL(location, requestUrl).href);
  } catch {
    return "(unparseable Location header)";
  }
}

/** A URL without query and fragment, safe to print. */
export function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.search = "";
    parsed.hash = "";
    parsed.username = "";
    parsed.password = "";
    return parsed.href;
  } catch {
    return url.split(/[?#]/)[0];
  }
}

/** The JSON body of a response, or undefined when it is not JSON. */
export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
