package build

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

const testLDFlags = "-s -w -X main.version=1.2.3 -X main.commit=" + testSHA + " -X main.date=2023-11-14T22:13:20Z"

const helloMod = "module example.com/hello\n\ngo 1.26\n"

func TestPlanDefaults(t *testing.T) {
	t.Parallel()
	plan, err := Options{Version: "v1.2.3", Remote: &Remote{GoMod: []byte(helloMod)}}.Plan()
	require.NoError(t, err)

	assert.Equal(t, "hello", plan.Name)
	assert.Equal(t, "1.2.3", plan.Version)
	type row struct{ target, binary, archive, out string }
	var got []row
	for _, j := range plan.Jobs {
		got = append(got, row{j.Target.String(), j.BinaryName, j.ArchiveName, j.OutPath})
		assert.Equal(t, ".", j.Package)
	}
	assert.Equal(t, []row{
		{"linux/amd64", "hello", "hello_1.2.3_linux_amd64.tar.gz", "linux_amd64/hello"},
		{"linux/arm64", "hello", "hello_1.2.3_linux_arm64.tar.gz", "linux_arm64/hello"},
		{"darwin/amd64", "hello", "hello_1.2.3_darwin_amd64.tar.gz", "darwin_amd64/hello"},
		{"darwin/arm64", "hello", "hello_1.2.3_darwin_arm64.tar.gz", "darwin_arm64/hello"},
		{"windows/amd64", "hello.exe", "hello_1.2.3_windows_amd64.zip", "windows_amd64/hello.exe"},
		{"windows/arm64", "hello.exe", "hello_1.2.3_windows_arm64.zip", "windows_arm64/hello.exe"},
	}, got)
	assert.Equal(t, []string{
		"hello_1.2.3_linux_amd64.tar.gz", "hello_1.2.3_linux_arm64.tar.gz", "hello_1.2.3_darwin_amd64.tar.gz",
		"hello_1.2.3_darwin_arm64.tar.gz", "hello_1.2.3_windows_amd64.zip", "hello_1.2.3_windows_arm64.zip", "SHA256SUMS",
	}, plan.Files(), "the plan names every file before anything is built")

	snapshot, err := Options{Remote: &Remote{GoMod: []byte(helloMod)}, Platforms: "linux/amd64"}.Plan()
	require.NoError(t, err)
	assert.Equal(t, []string{"hello_0.0.0-snapshot_linux_amd64.tar.gz", "SHA256SUMS"}, snapshot.Files(), "no version is a snapshot")
}

func TestPlanReadsGoModFromTheSource(t *testing.T) {
	t.Parallel()
	plan, err := Options{Source: writeFiles(t, map[string]string{"go.mod": "module github.com/acme/widget/v3\n"})}.Plan()
	require.NoError(t, err)
	assert.Equal(t, "widget", plan.Name)

	_, err = Options{Source: t.TempDir()}.Plan()
	e, ok := outcome.As(err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "source", e.Input)
	assert.Contains(t, err.Error(), "the source has no go.mod to name the project after")
}

func TestPlanNaming(t *testing.T) {
	t.Parallel()
	type job struct{ pkg, binary, archive, out string }
	tests := []struct {
		name     string
		opts     Options
		wantName string
		wantJobs []job
	}{
		{"name from package path", Options{Packages: []string{"./cmd/tool"}},
			"tool", []job{{"./cmd/tool", "tool", "tool_1.2.3_linux_amd64.tar.gz", "linux_amd64/tool"}}},
		{"name from import path with major version", Options{Packages: []string{"example.com/tool/v2"}},
			"tool", []job{{"example.com/tool/v2", "tool", "tool_1.2.3_linux_amd64.tar.gz", "linux_amd64/tool"}}},
		{"name from go.mod with major version", Options{Remote: &Remote{GoMod: []byte("// comment\nmodule \"github.com/acme/widget/v3\" // trailing\n")}},
			"widget", []job{{".", "widget", "widget_1.2.3_linux_amd64.tar.gz", "linux_amd64/widget"}}},
		{"explicit name wins", Options{Name: "acme", Packages: []string{"./cmd/tool"}, Platforms: "windows/arm64"},
			"acme", []job{{"./cmd/tool", "acme.exe", "acme_1.2.3_windows_arm64.zip", "windows_arm64/acme.exe"}}},
		{"several packages keep their names", Options{Name: "suite", Packages: []string{".", "./cmd/helper"}, Platforms: "windows/arm64"},
			"suite", []job{
				{".", "suite.exe", "suite_1.2.3_windows_arm64.zip", "windows_arm64/suite.exe"},
				{"./cmd/helper", "helper.exe", "suite_1.2.3_windows_arm64.zip", "windows_arm64/helper.exe"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := tt.opts
			o.Version = "v1.2.3"
			if o.Platforms == "" {
				o.Platforms = "linux/amd64"
			}
			plan, err := o.Plan()
			require.NoError(t, err)
			assert.Equal(t, tt.wantName, plan.Name)
			var got []job
			for _, j := range plan.Jobs {
				got = append(got, job{j.Package, j.BinaryName, j.ArchiveName, j.OutPath})
			}
			assert.Equal(t, tt.wantJobs, got)
		})
	}
}

func TestPlanCommand(t *testing.T) {
	t.Parallel()
	plan, err := Options{Name: "hello", Version: "v1.2.3", Platforms: "windows/amd64", LDFlags: "  -X main.builtBy=ci "}.Plan()
	require.NoError(t, err)
	env, argv := plan.Command(plan.Jobs[0], testStamp, filepath.FromSlash("/out/bin"))
	assert.Equal(t, []string{"CGO_ENABLED=0", "GOOS=windows", "GOARCH=amd64"}, env)
	assert.Equal(t, []string{"go", "build", "-trimpath", "-buildvcs=false", "-ldflags", testLDFlags + " -X main.builtBy=ci",
		"-o", filepath.FromSlash("/out/bin/windows_amd64/hello.exe"), "."}, argv)
}

// Every input error names the input at fault, so each adapter can say how to pass it, and
// names no flag itself.
func TestPlanErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		opts      Options
		wantInput string
		wantErr   string
	}{
		{"package . without go.mod or name", Options{Remote: &Remote{}}, "source", "the source has no go.mod to name the project after"},
		{"missing source", Options{Source: "/nonexistent-source-dir"}, "source", "cannot read the source: stat /nonexistent-source-dir"},
		{"go.mod without module", Options{Remote: &Remote{GoMod: []byte("go 1.26\n")}}, "source", "go.mod has no module directive"},
		{"bad name", Options{Name: "my tool"}, "name", `project name "my tool" is not a usable file name`},
		{"name looks like a flag", Options{Name: "-x"}, "name", "is not a usable file name"},
		{"bad version", Options{Name: "x", Version: "1.0/beta"}, "version", `version "1.0/beta" cannot go into an archive name`},
		{"bad commit", Options{Name: "x", Commit: "a b"}, "commit", `commit "a b" cannot go into the linker flags`},
		{"bad source date epoch", Options{Name: "x", SourceDateEpoch: "yesterday"}, "source-date-epoch", `SOURCE_DATE_EPOCH "yesterday" is not a number of seconds`},
		{"unknown target", Options{Name: "x", Platforms: "linux/amd65"}, "platforms", `unknown GOARCH "amd65"`},
		{"cgo-only target", Options{Name: "x", Platforms: "ios/arm64"}, "platforms", `platform "ios/arm64" needs cgo`},
		{"same package twice", Options{Name: "x", Packages: []string{"./a", "./b", "./a"}}, "packages", `packages "./a" and "./a" both build a binary named "a"`},
		{"empty package", Options{Name: "x", Packages: []string{""}}, "packages", "empty package path"},
		{"flag as package", Options{Name: "x", Packages: []string{"-toolexec=evil"}}, "packages", "looks like a flag"},
		{"pattern", Options{Name: "x", Packages: []string{"./cmd/..."}}, "packages", "matches several packages"},
		{"absolute", Options{Name: "x", Packages: []string{"/src/cmd"}}, "packages", "is not relative to the source"},
		{"outside", Options{Name: "x", Packages: []string{"../other"}}, "packages", "is outside the source directory"},
		{"quote", Options{Name: "x", Packages: []string{`./cmd/"x"`}}, "packages", "contains spaces, commas or quotes"},
		{"comma", Options{Name: "x", Packages: []string{"./a,b"}}, "packages", "contains spaces, commas or quotes"},
		{"unusable binary name", Options{Name: "x", Packages: []string{".", "./cmd/ü"}}, "packages", `would build a binary named "ü"`},
		{"line break in ldflags", Options{Name: "x", LDFlags: "-X a=b\n-X c=d"}, "ldflags", "hold a line break"},
		// A token pasted into the wrong input is never echoed back.
		{"token as name", Options{Name: "ghp_0123456789abcdefghij x"}, "name", `project name "ghp_[REDACTED] x" is not`},
		{"token as version", Options{Name: "x", Version: "ghs_0123456789abcdefghij/x"}, "version", `version "ghs_[REDACTED]/x" cannot`},
		{"token as commit", Options{Name: "x", Commit: "github_pat_0123456789abcdefghij x"}, "commit", `commit "github_pat_[REDACTED] x" cannot`},
		{"token as epoch", Options{Name: "x", SourceDateEpoch: "gho_0123456789abcdefghij"}, "source-date-epoch", `SOURCE_DATE_EPOCH "gho_[REDACTED]" is not`},
		{"token as platform", Options{Name: "x", Platforms: "ghu_0123456789abcdefghij"}, "platforms", `platform "ghu_[REDACTED]" is not GOOS/GOARCH`},
		{"token as package", Options{Name: "x", Packages: []string{"-ghr_0123456789abcdefghij"}}, "packages", `package "-ghr_[REDACTED]" looks like a flag`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tt.opts.Plan()
			require.Error(t, err)
			e, ok := outcome.As(err)
			require.True(t, ok, "an *outcome.Error: %v", err)
			assert.Equal(t, outcome.InvalidInput, e.Class)
			assert.Equal(t, tt.wantInput, e.Input)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.NotRegexp(t, `--(source|out|version|platforms|packages|name|ldflags|commit|source-date-epoch)\b`, err.Error(), "the core names no flag of ours")
		})
	}
}

func TestCheckOutputDirectory(t *testing.T) {
	t.Parallel()
	base := Options{Name: "hello", Version: "v1.0.0", Platforms: "linux/amd64,windows/arm64", Remote: &Remote{HasGit: true}}
	tests := []struct {
		name  string
		setup func(t *testing.T, out string) string // returns the OutDir to use
		want  string                                // "" means valid
	}{
		{name: "new directory", setup: func(_ *testing.T, out string) string { return out }},
		{name: "empty directory", setup: func(t *testing.T, out string) string {
			require.NoError(t, os.MkdirAll(out, 0o755))
			return out
		}},
		{name: "this build's own files", setup: func(t *testing.T, out string) string {
			writeInto(t, out, "hello_1.0.0_linux_amd64.tar.gz", "SHA256SUMS")
			return out
		}},
		{name: "another version's archive", setup: func(t *testing.T, out string) string {
			writeInto(t, out, "hello_0.9.0_linux_amd64.tar.gz", "SHA256SUMS")
			return out
		}, want: "already holds hello_0.9.0_linux_amd64.tar.gz"},
		{name: "a subdirectory", setup: func(t *testing.T, out string) string {
			require.NoError(t, os.MkdirAll(filepath.Join(out, "hello_1.0.0_linux_amd64.tar.gz"), 0o755))
			return out
		}, want: "already holds hello_1.0.0_linux_amd64.tar.gz"},
		{name: "a file in place of the directory", setup: func(t *testing.T, out string) string {
			writeInto(t, filepath.Dir(out), filepath.Base(out))
			return out
		}, want: "cannot use the output directory"},
		{name: "no directory", setup: func(*testing.T, string) string { return "" }, want: "no output directory was given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := base
			o.OutDir = tt.setup(t, filepath.Join(t.TempDir(), "dist"))
			_, err := o.Validate(t.Context())
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			e, ok := outcome.As(err)
			require.True(t, ok)
			assert.Equal(t, "out", e.Input)
			assert.Equal(t, 2, e.Class.ExitCode())
		})
	}
}

// A source built elsewhere (the Dagger module's) is checked from what is known of it: without
// git metadata it needs SOURCE_DATE_EPOCH, before anything is sent or run.
func TestCheckRemoteSource(t *testing.T) {
	t.Parallel()
	base := Options{Version: "v1.0.0", OutDir: filepath.Join(t.TempDir(), "dist")}
	tests := []struct {
		name   string
		remote Remote
		sde    string
		want   string
	}{
		{name: "git metadata", remote: Remote{GoMod: []byte(helloMod), HasGit: true}},
		{name: "no git but a date", remote: Remote{GoMod: []byte(helloMod)}, sde: "1700000000"},
		{name: "neither", remote: Remote{GoMod: []byte(helloMod)}, want: "no build time for v1.0.0: the source has no git metadata here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := base
			o.Remote, o.SourceDateEpoch = &tt.remote, tt.sde
			plan, err := o.Validate(t.Context())
			if tt.want == "" {
				require.NoError(t, err)
				assert.Equal(t, "hello", plan.Name)
				return
			}
			assert.ErrorContains(t, err, tt.want)
			e, ok := outcome.As(err)
			require.True(t, ok)
			assert.Equal(t, "source-date-epoch", e.Input)
		})
	}
	_, err := Run(t.Context(), Options{Remote: &Remote{}})
	assert.ErrorContains(t, err, "Run needs a local source")
}

func writeInto(t *testing.T, dir string, names ...string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for _, n := range names {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte("content of "+n), 0o644))
	}
}

func FuzzModulePath(f *testing.F) {
	for _, s := range []string{"module example.com/hello\n", "module \"a/b/v2\" // x\n", "go 1.26\n", "module\n", "module a b\n", "module \"\"\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, gomod []byte) {
		plan, err := Options{Remote: &Remote{GoMod: gomod}, Platforms: "linux/amd64"}.Plan()
		if err != nil {
			e, ok := outcome.As(err)
			require.True(t, ok)
			assert.Equal(t, outcome.InvalidInput, e.Class)
			return
		}
		require.Len(t, plan.Jobs, 1)
		assert.True(t, validName(plan.Name), "name %q", plan.Name)
		assert.Equal(t, "linux_amd64/"+plan.Name, plan.Jobs[0].OutPath)
	})
}

// An output directory that cannot be written is refused before anything runs, and checking it
// leaves nothing behind.
func TestCheckUnwritableOutputDirectory(t *testing.T) {
	t.Parallel()
	o := Options{Name: "hello", Version: "v1.0.0", Platforms: "linux/amd64", Remote: &Remote{HasGit: true}}
	o.OutDir = "/proc/release-preflight-cannot-write-here/dist"
	_, err := o.Validate(t.Context())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot write the output directory")
	e, ok := outcome.As(err)
	require.True(t, ok)
	assert.Equal(t, "out", e.Input)

	fresh := filepath.Join(t.TempDir(), "a", "b", "dist")
	o.OutDir = fresh
	_, err = o.Validate(t.Context())
	require.NoError(t, err)
	assert.NoDirExists(t, filepath.Dir(filepath.Dir(fresh)), "the directories made for the test are removed again")
}
