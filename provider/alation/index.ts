// The REST client of Alation's admin API: no Pulumi here.
export { AlationClient, type AlationClientOptions } from "./client";
export { forgetRefusedFields } from "./undocumented-fields";
export { AlationError, type AlationErrorKind } from "./errors";
export { closeHttpPools } from "./http";
export { clearTokenCache } from "./auth";
export * from "./settings";
