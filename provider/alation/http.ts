// HTTP to one tenant: an undici keep-alive pool per origin (and CA), bounded time per attempt, and retries with
// backoff and jitter where a retry is safe (what an attempt without an answer says: network-failures.ts). Knows
// nothing of Alation's routes or of authentication.
import { createHash } from "node:crypto";
import { rootCertificates } from "node:tls";
import { Pool } from "undici";
import type { HttpAnswer, HttpCall, HttpTarget, RetryMode } from "./http-types";
import { networkFailure, plainHttpToTlsServer } from "./network-failures";
import type { RetryPolicy } from "./settings";

export type { HttpAnswer, HttpCall, HttpTarget, RetryMode } from "./http-types";

const MAX_BODY_BYTES = 1 << 20;
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

// One pool per origin and trusted CA, shared by every resource of the provider process.
const pools = new Map<string, Pool>();

function poolFor(target: HttpTarget): Pool {
  const caKey = target.caCertificate ? createHash("sha256").update(target.caCertificate).digest("hex") : "";
  const key = `${target.origin}\n${caKey}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new Pool(target.origin, {
      connections: 8,
      keepAliveTimeout: 10_000,
      connect: target.caCertificate ? { ca: [...rootCertificates, target.caCertificate] } : {},
    });
    pools.set(key, pool);
  }
  return pool;
}

/** Closes every pool (tests; a provider process simply exits). */
export async function closeHttpPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((pool) => pool.destroy().catch(() => undefined)));
}

/**
 * Sends `call`, retrying as its RetryMode allows. Returns the last answer whatever its status (the caller maps
 * statuses to errors); throws an AlationError of kind `network` or `timeout` when no answer came.
 */
export async function send(target: HttpTarget, call: HttpCall): Promise<HttpAnswer> {
  const policy = target.retry;
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= policy.attempts;
    let answer: HttpAnswer;
    try {
      answer = await sendOnce(target, call);
    } catch (error) {
      const failure = networkFailure(target, call, error);
      const repeatable = failure.retryable && (call.retry === "idempotent" || !failure.error.outcomeUnknown);
      if (!repeatable || last) throw (await plainHttpToTlsServer(target, call, error)) ?? failure.error;
      await sleep(backoffMs(policy, attempt));
      continue;
    }
    if (last || !isRetryableAnswer(answer, call.retry)) return answer;
    const retryAfter = retryAfterMs(answer);
    if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) return answer;
    await sleep(retryAfter ?? backoffMs(policy, attempt));
  }
}

async function sendOnce(target: HttpTarget, call: HttpCall): Promise<HttpAnswer> {
  const headers: Record<string, string> = { accept: "application/json", ...call.headers };
  let body: string | undefined;
  if (call.json !== undefined) {
    body = JSON.stringify(call.json);
    headers["content-type"] = "application/json";
  } else if (call.form !== undefined) {
    body = new URLSearchParams(call.form).toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  }
  const query = call.query
    ? `?${new URLSearchParams(Object.entries(call.query).map(([k, v]): [string, string] => [k, String(v)]))}`
    : "";
  const response = await poolFor(target).request({
    method: call.method,
    path: call.path + query,
    headers,
    body,
    signal: AbortSignal.timeout(target.timeoutMs),
    headersTimeout: target.timeoutMs,
    bodyTimeout: target.timeoutMs,
  });
  const text = await readBounded(response.body, Number(response.headers["content-length"]));
  return { status: response.statusCode, headers: response.headers, json: parseJson(text), text };
}

/** The body as text, at most MAX_BODY_BYTES of it (a body that says it is no longer is read whole, at once). */
async function readBounded(
  body: AsyncIterable<Buffer> & { destroy(): unknown; text(): Promise<string> },
  declaredLength: number,
): Promise<string> {
  if (declaredLength <= MAX_BODY_BYTES) return body.text();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

function isRetryableAnswer(answer: HttpAnswer, mode: RetryMode): boolean {
  if (!RETRYABLE_STATUSES.has(answer.status)) return false;
  if (answer.status === 429) return !isLicenceQuota(answer);
  return mode === "idempotent";
}

/** A 429 that is a licence quota ("entitlement"), not throttling: waiting does not help. */
export function isLicenceQuota(answer: HttpAnswer): boolean {
  return answer.status === 429 && /entitlement/i.test(answer.text);
}

/** The wait a `Retry-After` header asks for (seconds or an HTTP date), if any. */
export function retryAfterMs(answer: HttpAnswer): number | undefined {
  const raw = answer.headers["retry-after"];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Full jitter: a random wait up to an exponentially growing ceiling. */
function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
