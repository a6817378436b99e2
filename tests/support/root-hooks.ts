// Mocha's root hooks (.mocharc.js requires this file): the cleanup every suite shares. After each test: reset the REST
// client's process-wide state (its HTTP pools, cached tokens, the tenants it found refusing undocumented fields, what
// each tenant proved and serves), so
// that no test sees a connection, a token or a memory of another's, then stop what the test started (test-scope.ts).
import type { RootHookObject } from "mocha";
import { clearTokenCache, closeHttpPools, forgetRefusedFields, forgetTenantEvidence } from "../../provider/alation";
import { closeTestScope, openTestScope } from "./test-scope";

export const mochaHooks: RootHookObject = {
  beforeEach() {
    openTestScope();
  },
  async afterEach() {
    await closeHttpPools();
    clearTokenCache();
    forgetRefusedFields();
    forgetTenantEvidence();
    await closeTestScope();
  },
};
