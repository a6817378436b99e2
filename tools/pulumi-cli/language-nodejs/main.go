// pulumi-language-nodejs: a Node.js language host for the Pulumi CLI, written for this project because Pulumi's own
// (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is not served by the Go module proxy
// these machines reach (tools/pulumi-cli/README.md).
//
// The engine starts it with the engine's address as the last argument; it serves Pulumi's LanguageRuntime over gRPC
// on a free loopback port and prints that port. `Run` starts the program the way the Node.js SDK expects:
// `node <@pulumi/pulumi/cmd/run> --monitor ... --engine ... <entry point>`, with the stack config in PULUMI_CONFIG.
// It does what `pulumi preview/up/refresh/destroy` need; code generation, packing, policy packs and plugin
// installation are not implemented (the engine gets Unimplemented for them).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// The Node.js SDK's exit code for "the user was already shown an actionable message": the engine then prints
// nothing more (the SDK's cmd/run uses it).
const exitAfterActionableMessage = 32

func main() {
	// The engine passes only its address; -tracing is accepted for compatibility with other hosts' command lines.
	flag.String("tracing", "", "ignored: tracing is not supported by this language host")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	engineAddress := ""
	if flag.NArg() > 0 {
		engineAddress = flag.Arg(flag.NArg() - 1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cancel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancel)
	}()
	if engineAddress != "" {
		// Exit when the engine goes away, so that no host outlives its CLI.
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, stop); err != nil {
			fail("could not start the health check of the engine: %v", err)
		}
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(server *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(server, &host{engineAddress: engineAddress, stopped: ctx})
			return nil
		},
	})
	if err != nil {
		fail("could not start the language host's gRPC server: %v", err)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail("the language host's gRPC server stopped: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: "+format+"\n", args...)
	os.Exit(1)
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	// Done when the host is asked to stop (SIGINT/SIGTERM): a running program is interrupted.
	stopped context.Context
}

func (h *host) Handshake(
	_ context.Context, _ *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// Plugins are found when a resource needs them (the dynamic provider's `pulumi-nodejs` sits beside the CLI), so
// the host announces none: the engine then tries to install nothing.
func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("node is not on PATH")
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("node --version failed: %w", err)
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(out))}, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	if info == nil {
		return &pulumirpc.RunResponse{Error: "the engine sent no program information"}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on PATH: install Node.js"}, nil
	}
	runScript, err := resolveModule(ctx, node, "@pulumi/pulumi/cmd/run", info.GetProgramDirectory())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	options := info.GetOptions().AsMap()
	nodeArgs := []string{}
	if extra, ok := options["nodeargs"].(string); ok {
		nodeArgs = strings.Fields(extra)
	}
	args := append(nodeArgs, h.runArguments(req, runScript)...)

	env, err := runEnvironment(req, options)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	// Interrupted when the engine cancels the call or the host is stopped: SIGINT first, as a user's Ctrl-C.
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	context.AfterFunc(h.stopped, cancel)
	cmd := exec.CommandContext(runCtx, node, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Dir = info.GetProgramDirectory()
	cmd.Env = env
	// Node may switch its stdio to non-blocking mode, so it gets pipes copied to ours rather than our descriptors.
	cmd.Stdout = struct{ *os.File }{os.Stdout}
	cmd.Stderr = struct{ *os.File }{os.Stderr}

	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitAfterActionableMessage:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run the program with %s: %v", node, err)}, nil
	}
}

// The command line of the SDK's cmd/run: flags first, then the entry point, then the program's own arguments.
func (h *host) runArguments(req *pulumirpc.RunRequest, runScript string) []string {
	args := []string{runScript}
	flagIfSet := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagIfSet("monitor", req.GetMonitorAddress())
	flagIfSet("engine", h.engineAddress)
	flagIfSet("organization", req.GetOrganization())
	flagIfSet("project", req.GetProject())
	flagIfSet("root-directory", req.GetInfo().GetRootDirectory())
	flagIfSet("stack", req.GetStack())
	flagIfSet("pwd", req.GetInfo().GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		flagIfSet("parallel", strconv.Itoa(int(req.GetParallel())))
	}
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	return append(args, req.GetArgs()...)
}

// The environment of the program: ours, plus the stack config and the runtime options the SDK reads.
func runEnvironment(req *pulumirpc.RunRequest, options map[string]any) ([]string, error) {
	config := req.GetConfig()
	if config == nil {
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, fmt.Errorf("could not encode the stack config: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("could not encode the stack's secret config keys: %w", err)
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+string(configJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	// `runtime.options.typescript` defaults to true in Pulumi.yaml: the SDK then registers ts-node.
	if typescript, given := options["typescript"].(bool); !given || typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if tsconfig, ok := options["tsconfig"].(string); ok && tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}
	return env, nil
}

// The file a module specifier resolves to from the program's folder, as Node resolves it: found here in the usual
// layout (nodeModulesLookup), which spares a node process (about 0.1 s of CPU a run), else by node itself (the
// specifier and the folder reach it as arguments, never as source).
func resolveModule(ctx context.Context, node, specifier, from string) (string, error) {
	if file, ok := nodeModulesLookup(specifier, from); ok {
		return file, nil
	}
	const script = "process.stdout.write(require.resolve(process.argv[1], { paths: [process.argv[2]] }))"
	out, err := exec.CommandContext(ctx, node, "-e", script, specifier, from).Output()
	if err != nil {
		return "", fmt.Errorf(
			"could not find %s from %s: install @pulumi/pulumi in the program's project (npm install @pulumi/pulumi)",
			specifier, from)
	}
	return string(out), nil
}

// Node's lookup of a scoped package's module (`@scope/name/sub/path`) from `from`, for the usual layout only: the
// package in the node_modules folder of `from` or of the nearest folder above it that has one, with no "exports" map;
// the module a file (`sub/path`, `sub/path.js`) or a folder without package.json (`sub/path/index.js`). Anything else
// (an "exports" map, a folder with its own main, a global folder) answers false, and node decides.
func nodeModulesLookup(specifier, from string) (string, bool) {
	parts := strings.SplitN(specifier, "/", 3)
	if len(parts) != 3 || !strings.HasPrefix(parts[0], "@") || !filepath.IsAbs(from) {
		return "", false
	}
	for dir := filepath.Clean(from); ; dir = filepath.Dir(dir) {
		root := filepath.Join(dir, "node_modules", parts[0], parts[1])
		if manifest, err := os.ReadFile(filepath.Join(root, "package.json")); err == nil && filepath.Base(dir) != "node_modules" {
			var fields map[string]json.RawMessage
			if json.Unmarshal(manifest, &fields) != nil || fields["exports"] != nil {
				return "", false
			}
			return moduleFile(filepath.Join(root, filepath.FromSlash(parts[2])))
		}
		if filepath.Dir(dir) == dir {
			return "", false
		}
	}
}

// The file Node loads for a module path within a package: the path itself, with .js, or its folder's index.js.
func moduleFile(module string) (string, bool) {
	isFile := func(file string) bool {
		info, err := os.Stat(file)
		return err == nil && info.Mode().IsRegular()
	}
	for _, file := range []string{module, module + ".js"} {
		if isFile(file) {
			return realPath(file)
		}
	}
	if _, err := os.Stat(filepath.Join(module, "package.json")); err == nil {
		return "", false
	}
	if index := filepath.Join(module, "index.js"); isFile(index) {
		return realPath(index)
	}
	return "", false
}

// Node runs a module from its real path (symlinks resolved), as require.resolve answers it.
func realPath(file string) (string, bool) {
	real, err := filepath.EvalSymlinks(file)
	return real, err == nil
}
