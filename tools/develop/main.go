// Command develop writes into Go SDK module directories what `dagger develop` (Dagger v0.21.8)
// writes besides the generated code, without an engine:
//
//	go run ./develop DIR...
//
// For each DIR, the root of a module with a dagger.json whose SDK is go, it rewrites:
//
//   - dagger.json as the engine writes it back: the configuration it loaded, re-encoded with
//     json.MarshalIndent and two spaces (core/schema/modulesource.go, runGeneratedContext and
//     loadModuleSourceConfig);
//   - .gitattributes with "/PATH linguist-generated" appended for each path the Go SDK marks
//     generated (core/sdk/go_sdk.go, Codegen) that the file does not mention yet;
//   - .gitignore likewise with "/PATH" for each path the Go SDK has ignored, unless dagger.json
//     sets "codegen": {"automaticGitignore": false} (core/schema/modulesource.go, runCodegen).
//
// "Mention" is the engine's test: the file's text contains the path. tools/bindings runs this
// after the codegen on a copy of the repository, so that --check sees every file develop
// would change.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The Go SDK's paths (core/sdk/go_sdk.go, goSDK.Codegen, v0.21.8).
var (
	vcsGenerated = []string{"dagger.gen.go", "internal/dagger/**", "internal/telemetry/**"}
	vcsIgnored   = []string{"dagger.gen.go", "internal/dagger", "internal/telemetry", ".env"}
)

// config is the part of the engine's module configuration (core/modules/config.go,
// ModuleConfigWithUserFields) that develop writes back, in its order. A field develop writes
// but this copy does not know is refused, not silently dropped.
type config struct {
	Schema                        string          `json:"$schema,omitempty"`
	Name                          string          `json:"name"`
	EngineVersion                 string          `json:"engineVersion"`
	SDK                           *sdk            `json:"sdk,omitempty"`
	Blueprint                     json.RawMessage `json:"blueprint,omitempty"`
	Toolchains                    json.RawMessage `json:"toolchains,omitempty"`
	Include                       []string        `json:"include,omitempty"`
	Dependencies                  []dependency    `json:"dependencies,omitempty"`
	Source                        string          `json:"source,omitempty"`
	Codegen                       *codegen        `json:"codegen,omitempty"`
	Clients                       json.RawMessage `json:"clients,omitempty"`
	DisableDefaultFunctionCaching *bool           `json:"disableDefaultFunctionCaching,omitempty"`
}

type sdk struct {
	Source       string          `json:"source"`
	Config       map[string]any  `json:"config,omitempty"`
	Debug        bool            `json:"debug,omitempty"`
	Experimental map[string]bool `json:"experimental,omitempty"`
}

// UnmarshalJSON also reads the legacy form, "sdk": "go".
func (s *sdk) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &s.Source)
	}
	type plain sdk
	return json.Unmarshal(b, (*plain)(s))
}

// dependency is what develop writes of a dependency: its name, its source and, for a git one,
// the commit it is pinned to.
type dependency struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	Pin    string `json:"pin,omitempty"`
}

type codegen struct {
	AutomaticGitignore *bool `json:"automaticGitignore,omitempty"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./develop DIR...")
		os.Exit(2)
	}
	for _, dir := range os.Args[1:] {
		if err := develop(dir); err != nil {
			fmt.Fprintf(os.Stderr, "develop %s: %v\n", dir, err)
			os.Exit(1)
		}
	}
}

// develop rewrites the files of the module in dir as `dagger develop` does.
func develop(dir string) error {
	raw, err := os.ReadFile(filepath.Join(dir, "dagger.json"))
	if err != nil {
		return err
	}
	var c config
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return fmt.Errorf("dagger.json: %w (a field develop would write differently: update tools/develop)", err)
	}
	if c.SDK == nil || c.SDK.Source != "go" {
		return fmt.Errorf("dagger.json: not a Go SDK module")
	}
	out, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "dagger.json"), append(out, '\n'), 0o644); err != nil {
		return err
	}
	if err := mention(filepath.Join(dir, ".gitattributes"), vcsGenerated, " linguist-generated"); err != nil {
		return err
	}
	if c.Codegen != nil && c.Codegen.AutomaticGitignore != nil && !*c.Codegen.AutomaticGitignore {
		return nil
	}
	return mention(filepath.Join(dir, ".gitignore"), vcsIgnored, "")
}

// mention appends "/PATH<suffix>" to the file at name for each path its text does not contain,
// after a final newline; the engine writes the file even when nothing is added.
func mention(name string, paths []string, suffix string) error {
	b, err := os.ReadFile(name)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	if len(b) > 0 && !bytes.HasSuffix(b, []byte("\n")) {
		b = append(b, '\n')
	}
	for _, p := range paths {
		if bytes.Contains(b, []byte(p)) {
			continue
		}
		b = append(b, "/"+strings.TrimPrefix(p, "/")+suffix+"\n"...)
	}
	return os.WriteFile(name, b, 0o644)
}
