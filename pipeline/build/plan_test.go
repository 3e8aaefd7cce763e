package build

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testStamp = Stamp{Version: "1.2.3", Commit: testSHA, Date: time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)}

const testLDFlags = "-s -w -X main.version=1.2.3 -X main.commit=" + testSHA + " -X main.date=2023-11-14T22:13:20Z"

func TestNewPlanDefaults(t *testing.T) {
	t.Parallel()
	plan, err := NewPlan(Config{Stamp: testStamp, GoMod: []byte("module example.com/hello\n\ngo 1.26\n")})
	require.NoError(t, err)

	assert.Equal(t, "hello", plan.Name)
	assert.Equal(t, "1.2.3", plan.Version)
	assert.Equal(t, testLDFlags, plan.LDFlags)
	assert.Equal(t, testStamp, plan.Stamp)

	type row struct{ target, binary, archive, out string }
	var got []row
	for _, j := range plan.Jobs {
		got = append(got, row{j.Target.String(), j.BinaryName, j.ArchiveName, j.OutPath})
		assert.Equal(t, ".", j.Package)
		assert.Equal(t, []string{"CGO_ENABLED=0", "GOOS=" + j.Target.OS, "GOARCH=" + j.Target.Arch}, j.Env)
		assert.Equal(t, []string{"go", "build", "-trimpath", "-buildvcs=false", "-ldflags", testLDFlags, "-o", j.OutPath, "."}, j.Args)
	}
	assert.Equal(t, []row{
		{"linux/amd64", "hello", "hello_1.2.3_linux_amd64.tar.gz", "linux_amd64/hello"},
		{"linux/arm64", "hello", "hello_1.2.3_linux_arm64.tar.gz", "linux_arm64/hello"},
		{"darwin/amd64", "hello", "hello_1.2.3_darwin_amd64.tar.gz", "darwin_amd64/hello"},
		{"darwin/arm64", "hello", "hello_1.2.3_darwin_arm64.tar.gz", "darwin_arm64/hello"},
		{"windows/amd64", "hello.exe", "hello_1.2.3_windows_amd64.zip", "windows_amd64/hello.exe"},
		{"windows/arm64", "hello.exe", "hello_1.2.3_windows_arm64.zip", "windows_arm64/hello.exe"},
	}, got)
}

func TestNewPlanNaming(t *testing.T) {
	t.Parallel()
	linux := []Target{{"linux", "amd64"}}
	windows := []Target{{"windows", "arm64"}}
	type job struct{ pkg, binary, archive, out string }
	tests := []struct {
		name     string
		cfg      Config
		wantName string
		wantJobs []job
	}{
		{"name from package path", Config{Packages: []string{"./cmd/tool"}, Targets: linux},
			"tool", []job{{"./cmd/tool", "tool", "tool_1.2.3_linux_amd64.tar.gz", "linux_amd64/tool"}}},
		{"name from import path with major version", Config{Packages: []string{"example.com/tool/v2"}, Targets: linux},
			"tool", []job{{"example.com/tool/v2", "tool", "tool_1.2.3_linux_amd64.tar.gz", "linux_amd64/tool"}}},
		{"name from go.mod with major version", Config{GoMod: []byte("// comment\nmodule \"github.com/acme/widget/v3\" // trailing\n"), Targets: linux},
			"widget", []job{{".", "widget", "widget_1.2.3_linux_amd64.tar.gz", "linux_amd64/widget"}}},
		{"explicit name wins", Config{Name: "acme", Packages: []string{"./cmd/tool"}, Targets: windows},
			"acme", []job{{"./cmd/tool", "acme.exe", "acme_1.2.3_windows_arm64.zip", "windows_arm64/acme.exe"}}},
		{"version overrides stamp and loses v", Config{Name: "x", Version: "v9.9.9", Targets: linux},
			"x", []job{{".", "x", "x_9.9.9_linux_amd64.tar.gz", "linux_amd64/x"}}},
		{"several packages keep their names", Config{Name: "suite", Packages: []string{".", "./cmd/helper"}, Targets: windows},
			"suite", []job{
				{".", "suite.exe", "suite_1.2.3_windows_arm64.zip", "windows_arm64/suite.exe"},
				{"./cmd/helper", "helper.exe", "suite_1.2.3_windows_arm64.zip", "windows_arm64/helper.exe"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := tt.cfg
			cfg.Stamp = testStamp
			plan, err := NewPlan(cfg)
			require.NoError(t, err)
			assert.Equal(t, tt.wantName, plan.Name)
			var got []job
			for _, j := range plan.Jobs {
				got = append(got, job{j.Package, j.BinaryName, j.ArchiveName, j.OutPath})
				assert.Equal(t, j.Package, j.Args[len(j.Args)-1])
			}
			assert.Equal(t, tt.wantJobs, got)
		})
	}
}

func TestNewPlanStamp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		cfg         Config
		wantVersion string
		wantLDFlags string
	}{
		{"extra ldflags appended", Config{Name: "x", Stamp: testStamp, ExtraLDFlags: "  -X main.builtBy=ci "},
			"1.2.3", testLDFlags + " -X main.builtBy=ci"},
		{"stamp version from config version", Config{Name: "x", Version: "v2.0.0", Stamp: Stamp{Date: testStamp.Date}},
			"2.0.0", "-s -w -X main.version=2.0.0 -X main.commit=none -X main.date=2023-11-14T22:13:20Z"},
		{"date in UTC without sub-seconds", Config{Name: "x", Stamp: Stamp{Version: "v1", Commit: "abc", Date: time.Date(2023, 11, 14, 23, 13, 20, 999, time.FixedZone("CET", 3600))}},
			"1", "-s -w -X main.version=1 -X main.commit=abc -X main.date=2023-11-14T22:13:20Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			plan, err := NewPlan(tt.cfg)
			require.NoError(t, err)
			assert.Equal(t, tt.wantVersion, plan.Version)
			assert.Equal(t, tt.wantLDFlags, plan.LDFlags)
			assert.Equal(t, time.UTC, plan.Stamp.Date.Location())
			for _, j := range plan.Jobs {
				assert.Contains(t, j.Args, tt.wantLDFlags)
			}
		})
	}
}

func TestNewPlanErrors(t *testing.T) {
	t.Parallel()
	noDate := testStamp
	noDate.Date = time.Time{}
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"package . without go.mod or name", Config{Stamp: testStamp}, `cannot name the project built from package "." without its go.mod: set the project name`},
		{"go.mod without module", Config{Stamp: testStamp, GoMod: []byte("go 1.26\n")}, "go.mod has no module directive"},
		{"bad name", Config{Name: "my tool", Stamp: testStamp}, `project name "my tool" is not a usable file name`},
		{"name looks like a flag", Config{Name: "-x", Stamp: testStamp}, "is not a usable file name"},
		{"no version", Config{Name: "x", Stamp: Stamp{Date: testStamp.Date}}, "no version to build"},
		{"bad version", Config{Name: "x", Version: "1.0/beta", Stamp: testStamp}, `version "1.0/beta" cannot go into an archive name`},
		{"bad commit", Config{Name: "x", Stamp: Stamp{Version: "1", Commit: "a b", Date: testStamp.Date}}, `stamp commit "a b" cannot go into -ldflags`},
		{"no date", Config{Name: "x", Stamp: noDate}, "set SOURCE_DATE_EPOCH or build from a git checkout"},
		{"unknown target", Config{Name: "x", Stamp: testStamp, Targets: []Target{{"linux", "amd65"}}}, `unknown GOARCH "amd65"`},
		{"duplicate target", Config{Name: "x", Stamp: testStamp, Targets: []Target{{"linux", "amd64"}, {"linux", "amd64"}}}, "platform linux/amd64 is listed twice"},
		{"empty package", Config{Name: "x", Stamp: testStamp, Packages: []string{""}}, "empty package path"},
		{"flag as package", Config{Name: "x", Stamp: testStamp, Packages: []string{"-toolexec=evil"}}, "looks like a flag"},
		{"pattern", Config{Name: "x", Stamp: testStamp, Packages: []string{"./cmd/..."}}, "matches several packages"},
		{"absolute", Config{Name: "x", Stamp: testStamp, Packages: []string{"/src/cmd"}}, "is not relative to the source"},
		{"outside", Config{Name: "x", Stamp: testStamp, Packages: []string{"../other"}}, "is outside the source directory"},
		{"quote", Config{Name: "x", Stamp: testStamp, Packages: []string{`./cmd/"x"`}}, "contains spaces or quotes"},
		{"same binary twice", Config{Name: "x", Stamp: testStamp, Packages: []string{"./a/tool", "./b/tool"}}, "both build a binary named tool"},
		{"unusable binary name", Config{Name: "x", Stamp: testStamp, Packages: []string{".", "./cmd/ü"}}, `would build a binary named "ü"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewPlan(tt.cfg)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidInput)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestJobArgsFor(t *testing.T) {
	t.Parallel()
	plan, err := NewPlan(Config{Name: "hello", Stamp: testStamp, Targets: []Target{{"windows", "amd64"}}})
	require.NoError(t, err)
	job := plan.Jobs[0]
	args := job.ArgsFor(filepath.FromSlash("/out/bin"))
	assert.Equal(t, []string{"go", "build", "-trimpath", "-buildvcs=false", "-ldflags", testLDFlags,
		"-o", filepath.FromSlash("/out/bin/windows_amd64/hello.exe"), "."}, args)
	assert.Equal(t, "windows_amd64/hello.exe", job.Args[7], "ArgsFor leaves the plan untouched")
}

func FuzzModulePath(f *testing.F) {
	for _, s := range []string{"module example.com/hello\n", "module \"a/b/v2\" // x\n", "go 1.26\n", "module\n", "module a b\n", "module \"\"\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, gomod []byte) {
		plan, err := NewPlan(Config{GoMod: gomod, Stamp: testStamp, Targets: []Target{{"linux", "amd64"}}})
		if err != nil {
			assert.ErrorIs(t, err, ErrInvalidInput)
			return
		}
		require.Len(t, plan.Jobs, 1)
		assert.True(t, validToken(plan.Name), "name %q", plan.Name)
		assert.Equal(t, "linux_amd64/"+plan.Name, plan.Jobs[0].OutPath)
	})
}
