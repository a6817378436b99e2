// The REST client of Alation's admin API: no Pulumi here.
export { AlationClient, type AlationClientOptions } from "./client";
export { forgetRefusedFields } from "./undocumented-fields";
export { AlationError, type AlationErrorKind } from "./errors";
export { closeHttpPools } from "./http";
export { clearTokenCache } from "./auth";
export { forgetTenantEvidence } from "./tenant-api";
export { OPENAPI_PATH, METADATA_PATH } from "./tenant-probe";
export { CLIENTS_PATHS } from "../domain/application-fields";
export * from "./settings";
