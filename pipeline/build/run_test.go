package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// options builds the hello sample for platforms with the fake go command into a new directory.
func options(t *testing.T, platforms string) (Options, func() []string) {
	t.Helper()
	goBin, calls := fakeGo(t)
	return Options{
		Source: hello(t), OutDir: filepath.Join(t.TempDir(), "dist"), Version: "v1.2.3", Platforms: platforms,
		Commit: testSHA, SourceDateEpoch: "1700000000", GoBin: goBin,
	}, calls
}

func TestRun(t *testing.T) {
	t.Parallel()
	o, calls := options(t, "")
	var progress bytes.Buffer
	o.Progress = &progress
	res, err := Run(t.Context(), o)
	require.NoError(t, err)

	assert.Equal(t, testStamp, res.Stamp)
	assert.Len(t, calls(), 6, "one go build per target")
	var names []string
	for _, a := range res.Artifacts {
		names = append(names, a.Name)
		assert.Equal(t, filepath.Join(o.OutDir, a.Name), a.Path)
	}
	assert.Equal(t, res.Plan.Files(), names, "the archives in target order, then SHA256SUMS")
	files := listDir(t, o.OutDir)
	assert.Len(t, files, 7, "nothing else in the output directory")

	var sums strings.Builder
	for _, name := range []string{
		"hello_1.2.3_darwin_amd64.tar.gz", "hello_1.2.3_darwin_arm64.tar.gz", "hello_1.2.3_linux_amd64.tar.gz",
		"hello_1.2.3_linux_arm64.tar.gz", "hello_1.2.3_windows_amd64.zip", "hello_1.2.3_windows_arm64.zip",
	} {
		sums.WriteString(sumOf(files[name]) + "  " + name + "\n")
	}
	assert.Equal(t, sums.String(), files["SHA256SUMS"])
	for _, a := range res.Artifacts {
		assert.Equal(t, sumOf(files[a.Name]), a.SHA256, a.Name)
		assert.EqualValues(t, len(files[a.Name]), a.Size, a.Name)
	}

	lines := strings.Split(strings.TrimSpace(progress.String()), "\n")
	require.Len(t, lines, 6, progress.String())
	line := regexp.MustCompile(`^built (\S+): (hello_1\.2\.3_\S+) \(\d+(?:\.\d)? (?:B|KiB|MiB)\) in \d+\.\ds$`)
	var targets []string
	for _, l := range lines {
		m := line.FindStringSubmatch(l)
		require.NotNil(t, m, "progress line %q", l)
		targets = append(targets, m[1])
	}
	assert.ElementsMatch(t, strings.Split(DefaultPlatforms, ","), targets)
}

// The same source, stamp and options give byte-identical output, whatever the source's path,
// the parallelism or the order targets finish in, and a re-run into the same directory is allowed.
func TestRunIsReproducible(t *testing.T) {
	t.Parallel()
	a, _ := options(t, "linux/amd64,windows/arm64,darwin/arm64")
	b := a
	b.Source, b.OutDir, b.Parallelism = hello(t), filepath.Join(t.TempDir(), "dist"), 1
	_, err := Run(t.Context(), a)
	require.NoError(t, err)
	_, err = Run(t.Context(), b)
	require.NoError(t, err)
	assert.Equal(t, listDir(t, a.OutDir), listDir(t, b.OutDir))

	first := listDir(t, a.OutDir)
	_, err = Run(t.Context(), a)
	require.NoError(t, err, "a re-run into its own output directory")
	assert.Equal(t, first, listDir(t, a.OutDir))
}

func TestRunFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		setup     func(t *testing.T, o *Options)
		class     outcome.Class
		wantErr   []string
		wantOut   string // in the error's Output
		wantCalls int
	}{
		{name: "compile error names the target and keeps the compiler's output",
			setup:   func(t *testing.T, o *Options) { writeInto(t, o.Source, "BROKEN") },
			class:   outcome.BuildFailed,
			wantErr: []string{"go build of hello (package .) for linux/amd64: exit status 1: Fix the errors in the output and build again"},
			wantOut: "./main.go:3:1: syntax error: unexpected EOF", wantCalls: 1},
		{name: "not a main package", setup: func(t *testing.T, o *Options) { writeInto(t, o.Source, "LIBRARY") },
			class:   outcome.InvalidInput,
			wantErr: []string{"package . is not a main package: go build wrote a package archive, not a program"}, wantCalls: 1},
		{name: "missing go command", setup: func(t *testing.T, o *Options) { o.GoBin = filepath.Join(t.TempDir(), "no-go") },
			class: outcome.BuildFailed, wantErr: []string{"the go command did not start", "Install Go, or put the go command on PATH"}},
		{name: "bad input is refused before anything runs", setup: func(_ *testing.T, o *Options) { o.Platforms = "linux/amd65" },
			class: outcome.InvalidInput, wantErr: []string{`unknown GOARCH "amd65"`}},
		{name: "no build time", setup: func(_ *testing.T, o *Options) { o.SourceDateEpoch = "" },
			class: outcome.InvalidInput, wantErr: []string{"the source has no git metadata here"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o, calls := options(t, "linux/amd64,darwin/arm64")
			o.Parallelism = 1
			tt.setup(t, &o)
			_, err := Run(t.Context(), o)
			require.Error(t, err)
			e, ok := outcome.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tt.class, e.Class)
			for _, m := range tt.wantErr {
				assert.Contains(t, err.Error(), m)
			}
			assert.Contains(t, e.Output, tt.wantOut)
			assert.Len(t, calls(), tt.wantCalls, "the first failure stops the targets still to build")
			entries, _ := os.ReadDir(o.OutDir)
			assert.Empty(t, entries, "nothing is written for a failed build")
		})
	}
}

func TestRunCanceled(t *testing.T) {
	t.Parallel()
	o, calls := options(t, "linux/amd64")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := Run(ctx, o)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, outcome.Unexpected, outcome.ClassOf(err))
	assert.Empty(t, calls())
}

func TestBuildEnviron(t *testing.T) {
	t.Parallel()
	got := buildEnviron([]string{"PATH=/bin", "GOOS=plan9", "GOAMD64=v3", "goarch=x", "GOCACHE=/c", "GOFLAGS=-mod=vendor", "CGO_ENABLED=1"})
	assert.Equal(t, []string{"PATH=/bin", "GOCACHE=/c", "GOFLAGS=-mod=vendor"}, got)
}

func TestShareProcessors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		environ       []string
		procs, builds int
		want          []string
	}{
		{"one processor a build", []string{"PATH=/bin"}, 2, 2, []string{"PATH=/bin", "GOMAXPROCS=1"}},
		{"a lone build gets them all", []string{"PATH=/bin"}, 8, 1, []string{"PATH=/bin", "GOMAXPROCS=8"}},
		{"an even share, rounded down", nil, 8, 3, []string{"GOMAXPROCS=2"}},
		{"never less than one", nil, 2, 6, []string{"GOMAXPROCS=1"}},
		{"the user's setting stays", []string{"GOMAXPROCS=3"}, 2, 2, []string{"GOMAXPROCS=3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, shareProcessors(tt.environ, tt.procs, tt.builds))
		})
	}
}

func TestTail(t *testing.T) {
	t.Parallel()
	var many strings.Builder
	for i := range 100 {
		many.WriteString(strings.Repeat("x", i%7) + "\n")
	}
	tests := []struct {
		name      string
		in        string
		wantLines int
	}{
		{"short output kept", "a\nb\n", 2},
		{"long output keeps the last lines", many.String(), outputTailLines},
		{"huge line cut", strings.Repeat("y", 10000) + "\nlast\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tail(tt.in)
			assert.LessOrEqual(t, len(got), outputTailBytes)
			assert.Len(t, strings.Split(got, "\n"), tt.wantLines)
			assert.True(t, strings.HasSuffix(strings.TrimRight(tt.in, "\n"), got))
		})
	}
}

// A package that is not main is refused by Check, before the probe, and by Run after its build
// should Check not have run.
func TestCheckRefusesALibrary(t *testing.T) {
	t.Parallel()
	o, calls := options(t, "linux/amd64")
	writeInto(t, o.Source, "LIBRARY")
	_, err := o.Validate(t.Context())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "package . is package library, not a main package")
	assert.Empty(t, calls(), "nothing was built")
}
