// The two documented generations of the OAuth client admin API (../shared/alation-api.md section 2), as this tenant
// serves them: where each lives and what its body fields are called. The model (the store, the shell, the state hook)
// keeps generation A's names, as Alation's `api_authentication.models.Application` does (section 5).
import { sendText } from "./http";
import type { Route } from "./router";
import type { ApiGeneration, ApiGenerationMode } from "./types";

/** Where each generation serves its clients. B's item routes (`{client_id}/` under it) are an assumption. */
export const CLIENTS_PREFIX: Readonly<Record<ApiGeneration, string>> = {
  a: "/integration/core/v1/oauth/clients/",
  b: "/integration/core/v1/clients/",
};

/** The model's name of each field B calls otherwise (agent-studio-docs `user-initiated-auth.mdx`). */
const B_NAMES: Readonly<Record<string, string>> = {
  access_token_expiry: "access_token_lifetime",
  refresh_token_expiry: "refresh_token_lifetime",
  pkce_required: "pkce_enabled",
};

/** A field's name in a generation's bodies and answers, from its model name. */
export function apiName(generation: ApiGeneration, modelName: string): string {
  return generation === "b" ? (B_NAMES[modelName] ?? modelName) : modelName;
}

/** An object keyed by model names, keyed by a generation's names. */
export function withApiNames<T>(generation: ApiGeneration, byModelName: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(byModelName).map(([name, value]) => [apiName(generation, name), value]));
}

/** The generations a mode serves (default `a`). */
export function servedGenerations(mode: ApiGenerationMode = "a"): ApiGeneration[] {
  return mode === "both" ? ["a", "b"] : [mode];
}

/** Paths under `prefix` answered as a Django tenant answers a path it does not route: 404, its HTML page. */
export function notRoutedPaths(prefix: string, subpaths: string[]): Route[] {
  return subpaths.map((subpath) => ({
    methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    pattern: prefix + subpath,
    handle: async (ctx) => {
      ctx.req.resume();
      sendText(ctx.res, 404, DJANGO_NOT_FOUND_PAGE, "text/html; charset=utf-8");
    },
  }));
}

/** What Django (DEBUG off) answers for a path no URL pattern matches. */
const DJANGO_NOT_FOUND_PAGE =
  '<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n' +
  "  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n";
