// `npm run --silent pulumi-cli [-- --no-build]`: prints the absolute path of a folder holding working `pulumi`,
// `pulumi-language-nodejs`, `pulumi-language-yaml` and `pulumi-resource-pulumi-nodejs` (the user's own CLI on PATH,
// else a cached build, else a build from Go modules). Put it first on PATH:
// PATH="$(npm run --silent pulumi-cli):$PATH".
import { locatePulumiCli, PulumiCliError } from "./locate";

try {
  const cli = locatePulumiCli({ build: !process.argv.includes("--no-build") });
  process.stdout.write(`${cli.dir}\n`);
} catch (error) {
  if (!(error instanceof PulumiCliError)) throw error;
  process.stderr.write(`pulumi-cli: ${error.message}\n`);
  process.exit(1);
}
