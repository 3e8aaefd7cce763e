package build

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// copyHello copies examples/hello into a new directory and returns it.
func copyHello(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	require.NoError(t, os.CopyFS(dst, os.DirFS(filepath.Join("..", "..", "examples", "hello"))))
	return dst
}

// helloPlan plans a build of the copy of examples/hello in src.
func helloPlan(t *testing.T, src string, targets []Target) Plan {
	t.Helper()
	gomod, err := os.ReadFile(filepath.Join(src, "go.mod"))
	require.NoError(t, err)
	stamp, err := NewStamp("v1.2.3", "1700000000", testSHA+" 1600000000")
	require.NoError(t, err)
	plan, err := NewPlan(Config{Targets: targets, Stamp: stamp, GoMod: gomod})
	require.NoError(t, err)
	return plan
}

func requireGo(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not installed")
	}
}

// TestLocalExecutorHello builds examples/hello for the six default platforms
// twice, from two copies at different paths, and checks the results: one
// build per source is shared by the subtests.
func TestLocalExecutorHello(t *testing.T) {
	t.Parallel()
	requireGo(t)
	if testing.Short() {
		t.Skip("cross-compiles six platforms twice")
	}
	srcA, srcB := copyHello(t), copyHello(t)
	plan := helloPlan(t, srcA, nil)
	require.Equal(t, plan, helloPlan(t, srcB, nil), "the plan does not depend on the source path")

	var progress bytes.Buffer
	binA, binB := t.TempDir(), t.TempDir()
	require.NoError(t, LocalExecutor{Progress: &progress}.Build(t.Context(), plan, srcA, binA))
	require.NoError(t, LocalExecutor{Parallelism: 1}.Build(t.Context(), plan, srcB, binB))

	docsA, err := DocFiles(srcA)
	require.NoError(t, err)
	require.Len(t, docsA, 1, "examples/hello has a README.md")
	docsB, err := DocFiles(srcB)
	require.NoError(t, err)
	outA, outB := t.TempDir(), t.TempDir()
	artsA, err := Package(plan, binA, outA, docsA...)
	require.NoError(t, err)
	artsB, err := Package(plan, binB, outB, docsB...)
	require.NoError(t, err)
	names := make([]string, len(artsA))
	for i, a := range artsA {
		names[i] = a.Name
	}
	_, err = WriteChecksums(outA, names)
	require.NoError(t, err)

	t.Run("progress line per target", func(t *testing.T) {
		t.Parallel()
		lines := strings.Split(strings.TrimSpace(progress.String()), "\n")
		require.Len(t, lines, 6, progress.String())
		line := regexp.MustCompile(`^built (\S+) (hello(?:\.exe)?) \d+\.\d (?:MB|kB) in \d+\.\ds$`)
		var targets []string
		for _, l := range lines {
			m := line.FindStringSubmatch(l)
			require.NotNil(t, m, "progress line %q", l)
			targets = append(targets, m[1])
			assert.Equal(t, strings.HasPrefix(m[1], "windows/"), m[2] == "hello.exe", l)
		}
		assert.ElementsMatch(t, strings.Split(DefaultPlatforms, ","), targets)
	})

	t.Run("binaries identical across source paths", func(t *testing.T) {
		t.Parallel()
		for _, j := range plan.Jobs {
			a := readAll(t, filepath.Join(binA, filepath.FromSlash(j.OutPath)))
			b := readAll(t, filepath.Join(binB, filepath.FromSlash(j.OutPath)))
			assert.True(t, bytes.Equal(a, b), "%s differs between builds", j.OutPath)
			assert.NotContains(t, string(a), srcA, "-trimpath keeps the source path out of %s", j.OutPath)
		}
	})

	t.Run("archives identical across builds", func(t *testing.T) {
		t.Parallel()
		require.Len(t, artsB, len(artsA))
		for i := range artsA {
			assert.Equal(t, artsA[i].SHA256, artsB[i].SHA256, artsA[i].Name)
			assert.Equal(t, readAll(t, artsA[i].Path), readAll(t, artsB[i].Path), artsA[i].Name)
		}
	})

	t.Run("repackaging is byte-identical", func(t *testing.T) {
		t.Parallel()
		again, err := Package(plan, binA, t.TempDir(), docsA...)
		require.NoError(t, err)
		for i := range again {
			assert.Equal(t, readAll(t, artsA[i].Path), readAll(t, again[i].Path), again[i].Name)
		}
	})

	t.Run("host binary prints the stamp", func(t *testing.T) {
		t.Parallel()
		host := Target{OS: runtime.GOOS, Arch: runtime.GOARCH}
		var bin string
		for _, j := range plan.Jobs {
			if j.Target == host {
				bin = filepath.Join(binA, filepath.FromSlash(j.OutPath))
			}
		}
		if bin == "" {
			t.Skipf("%s is not a default platform", host)
		}
		out, err := exec.CommandContext(t.Context(), bin, "--version").CombinedOutput()
		require.NoError(t, err, "%s", out)
		assert.Equal(t, "hello 1.2.3 (commit "+testSHA+", built 2023-11-14T22:13:20Z)\n", string(out))
	})

	t.Run("windows zip holds hello.exe", func(t *testing.T) {
		t.Parallel()
		zr, err := zip.OpenReader(filepath.Join(outA, "hello_1.2.3_windows_amd64.zip"))
		require.NoError(t, err)
		defer zr.Close()
		var names []string
		for _, f := range zr.File {
			names = append(names, f.Name)
		}
		assert.Equal(t, []string{"README.md", "hello.exe"}, names)
		exe, err := fs.ReadFile(zr, "hello.exe")
		require.NoError(t, err)
		assert.Equal(t, "MZ", string(exe[:2]), "a PE executable")
	})

	t.Run("checksums match the archives", func(t *testing.T) {
		t.Parallel()
		require.NoError(t, VerifyChecksums(outA))
		var want strings.Builder
		sorted := slices.SortedFunc(slices.Values(artsA), func(a, b Artifact) int { return strings.Compare(a.Name, b.Name) })
		for _, a := range sorted {
			want.WriteString(a.SHA256 + "  " + a.Name + "\n")
		}
		assert.Equal(t, want.String(), string(readAll(t, filepath.Join(outA, "SHA256SUMS"))))
	})
}

func TestLocalExecutorFailures(t *testing.T) {
	t.Parallel()
	requireGo(t)
	host := Target{OS: runtime.GOOS, Arch: runtime.GOARCH}
	other := Target{OS: "linux", Arch: "riscv64"}
	if host == other {
		other = Target{OS: "linux", Arch: "amd64"}
	}

	broken := copyHello(t)
	require.NoError(t, os.WriteFile(filepath.Join(broken, "broken.go"), []byte("package main\n\nfunc broken() {\n"), 0o644))

	tests := []struct {
		name      string
		src       string
		exec      LocalExecutor
		wantErr   []string
		wantBuild bool // whether a BuildError is expected
	}{
		{"syntax error names the target and shows stderr", broken, LocalExecutor{Parallelism: 1},
			[]string{"go build of hello (package .) for " + host.String() + " failed: exit status 1", "broken.go:4:1: syntax error", "fix the errors above"}, true},
		{"missing go command", copyHello(t), LocalExecutor{GoBin: filepath.Join(t.TempDir(), "no-go"), Parallelism: 1},
			[]string{"for " + host.String() + " failed", "install Go or point the executor at the go command"}, true},
		{"missing source", filepath.Join(t.TempDir(), "nope"), LocalExecutor{},
			[]string{"pass the directory holding go.mod"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			plan := helloPlan(t, broken, []Target{host, other})
			bin := t.TempDir()
			err := tt.exec.Build(t.Context(), plan, tt.src, bin)
			require.Error(t, err)
			for _, m := range tt.wantErr {
				assert.Contains(t, err.Error(), m)
			}
			var be *BuildError
			require.Equal(t, tt.wantBuild, errors.As(err, &be), "error type: %v", err)
			if !tt.wantBuild {
				assert.ErrorIs(t, err, ErrInvalidInput)
				return
			}
			assert.Equal(t, host, be.Target)
			_, statErr := os.Stat(filepath.Join(bin, filepath.FromSlash(plan.Jobs[1].OutPath)))
			assert.ErrorIs(t, statErr, os.ErrNotExist, "the job after the failure never ran")
		})
	}
}

func TestLocalExecutorCanceled(t *testing.T) {
	t.Parallel()
	requireGo(t)
	src := copyHello(t)
	plan := helloPlan(t, src, []Target{{OS: runtime.GOOS, Arch: runtime.GOARCH}})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := LocalExecutor{}.Build(ctx, plan, src, t.TempDir())
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "0 of 1 binaries built")
}

func TestLocalExecutorEmptyPlan(t *testing.T) {
	t.Parallel()
	err := LocalExecutor{}.Build(t.Context(), Plan{}, t.TempDir(), t.TempDir())
	assert.ErrorIs(t, err, ErrInvalidInput)
}

func TestBuildEnviron(t *testing.T) {
	t.Parallel()
	got := buildEnviron([]string{"PATH=/bin", "GOOS=plan9", "GOAMD64=v3", "goarch=x", "GOCACHE=/c", "GOFLAGS=-mod=vendor", "CGO_ENABLED=1"})
	assert.Equal(t, []string{"PATH=/bin", "GOCACHE=/c", "GOFLAGS=-mod=vendor"}, got)
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
		{"long output keeps the last lines", many.String(), stderrTailLines},
		{"huge line cut", strings.Repeat("y", 10000) + "\nlast\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tail(tt.in)
			assert.LessOrEqual(t, len(got), stderrTailBytes)
			assert.Len(t, strings.Split(got, "\n"), tt.wantLines)
			assert.True(t, strings.HasSuffix(strings.TrimRight(tt.in, "\n"), got))
		})
	}
}
