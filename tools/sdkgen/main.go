// sdkgen: an SDK generated from a package schema by Pulumi's own code generation (the libraries behind
// `pulumi package gen-sdk`), for the languages whose generators live in Pulumi's pkg module: nodejs, go and python.
// The CLI built here has no Go or Python language host to run `gen-sdk` through, and the project's Node.js host does
// not generate code (docs/plugin.md); this calls the same generators directly.
//
// Usage: sdkgen SCHEMA.json LANGUAGE OUT-DIR
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"

	"github.com/blang/semver"
)

const tool = "pulumi-alation sdkgen"

func main() {
	if len(os.Args) != 4 {
		fail("usage: sdkgen SCHEMA.json LANGUAGE OUT-DIR")
	}
	text, err := os.ReadFile(os.Args[1])
	check(err)
	var spec schema.PackageSpec
	check(json.Unmarshal(text, &spec))
	pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{})
	check(err)
	if diags.HasErrors() {
		fail(diags.Error())
	}
	var files map[string][]byte
	switch os.Args[2] {
	case "nodejs":
		files, err = nodejs.GeneratePackage(tool, pkg, nil, nil, true, noPackages{})
	case "go":
		files, err = gogen.GeneratePackage(tool, pkg, nil)
	case "python":
		files, err = python.GeneratePackage(tool, pkg, nil, noPackages{})
	default:
		fail("unknown language " + os.Args[2] + " (nodejs, go or python)")
	}
	check(err)
	for name, content := range files {
		path := filepath.Join(os.Args[3], name)
		check(os.MkdirAll(filepath.Dir(path), 0o755))
		check(os.WriteFile(path, content, 0o644))
	}
}

// noPackages loads no package: the schema refers to no other package than Pulumi's built-in types.
type noPackages struct{}

var errNoPackages = errors.New("the alation schema refers to no other package")

func (noPackages) LoadPackage(string, *semver.Version) (*schema.Package, error) {
	return nil, errNoPackages
}

func (noPackages) LoadPackageV2(context.Context, *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, errNoPackages
}

func (noPackages) LoadPackageReference(string, *semver.Version) (schema.PackageReference, error) {
	return nil, errNoPackages
}

func (noPackages) LoadPackageReferenceV2(context.Context, *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, errNoPackages
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "sdkgen: "+message)
	os.Exit(1)
}
