// Authenticated calls to one tenant's admin API, once the tenant has proven to be Alation: the credential's headers,
// one more try after a refused token that can be renewed, and one same-origin redirect followed. Knows nothing of the
// routes' answers.
import type { CallContext } from "./answers";
import type { Authenticator } from "./auth";
import { send, type HttpAnswer, type HttpCall, type HttpTarget, type RetryMode } from "./http";
import { probeTenant } from "./tenant-probe";

/** What a call sends besides its method and path. */
export interface CallOptions {
  json?: unknown;
  query?: Record<string, string | number>;
  retry: RetryMode;
}

/** An answer, with where it came from (for its error). */
export interface Called {
  answer: HttpAnswer;
  context: CallContext;
}

/** The admin calls of one tenant, made with one credential. */
export class AdminCalls {
  constructor(
    private readonly target: HttpTarget,
    private readonly auth: Authenticator,
  ) {}

  /**
   * An authenticated admin call. A 401 or 403 gets one more try when the credential can be renewed (a fetched token
   * that expired or was replaced: tenants answer either status for an invalid token); a same-origin redirect (a
   * tenant that wants the path without its trailing slash) is followed once. Nothing is sent (not even a token
   * fetch) before the tenant has shown, without a credential, that it is an Alation tenant (tenant-probe.ts).
   */
  async call(method: HttpCall["method"], path: string, options: CallOptions): Promise<Called> {
    await probeTenant(this.target);
    let currentPath = path;
    let headers = await this.auth.headers();
    let answer = await send(this.target, this.httpCall(method, currentPath, headers, options));
    if ((answer.status === 401 || answer.status === 403) && (await this.auth.renew(headers))) {
      headers = await this.auth.headers();
      answer = await send(this.target, this.httpCall(method, currentPath, headers, options));
    }
    const redirect = this.sameOriginRedirect(answer, method);
    if (redirect) {
      currentPath = redirect;
      answer = await send(this.target, this.httpCall(method, currentPath, headers, options));
    }
    return {
      answer,
      context: {
        origin: this.target.origin,
        call: `${method} ${currentPath}`,
        secrets: this.auth.secrets(),
        refusedHint: this.auth.refusedHint,
      },
    };
  }

  private httpCall(
    method: HttpCall["method"],
    path: string,
    headers: Record<string, string>,
    options: CallOptions,
  ): HttpCall {
    return {
      method,
      path,
      headers,
      json: options.json,
      query: options.query,
      retry: options.retry,
      secrets: this.auth.secrets(),
    };
  }

  private sameOriginRedirect(answer: HttpAnswer, method: HttpCall["method"]): string | undefined {
    const keepsMethod = answer.status === 307 || answer.status === 308;
    if (!keepsMethod && !((answer.status === 301 || answer.status === 302) && method === "GET")) return undefined;
    const location = answer.headers.location;
    const value = Array.isArray(location) ? location[0] : location;
    if (!value) return undefined;
    const url = new URL(value, this.target.origin);
    return url.origin === this.target.origin ? url.pathname : undefined;
  }
}
