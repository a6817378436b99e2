// The package's `pulumi-alation/runtime` entry point: what runs inside Pulumi's dynamic-provider process. The
// serialized provider stubs call into it; it never imports the resource classes.
export { configure } from "./stack-config";
export { oauthApplication } from "./oauth-application";
export { featureFlag } from "./feature-flag";
