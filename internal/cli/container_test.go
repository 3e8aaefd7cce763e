package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/release"
)

func TestBuildArgs(t *testing.T) {
	t.Parallel()
	o := build.Options{Source: "/s", OutDir: "/o", Version: "v1.2.3", Platforms: "linux/amd64,windows/arm64",
		Packages: []string{".", "./cmd/helper"}, Name: "suite", LDFlags: "-X main.builtBy=ci", Commit: "abc", SourceDateEpoch: "5",
		GoBin: "/not/carried", Parallelism: 3}
	assert.Equal(t, []string{"build", "--json", "--source", "/s", "--out", "/o", "--version", "v1.2.3",
		"--platforms", "linux/amd64,windows/arm64", "--packages", ".,./cmd/helper", "--name", "suite",
		"--ldflags", "-X main.builtBy=ci", "--commit", "abc", "--source-date-epoch=5"}, BuildArgs(o))
	assert.Equal(t, []string{"build", "--json", "--source", "/src", "--out", "/dist", "--source-date-epoch="},
		ContainerArgs(build.Options{}), "an empty SOURCE_DATE_EPOCH is passed too: the container's own never counts")
}

// inContainer stands in for the Dagger module's container step, the only part of its build
// not run here: the CLI's build runs with ContainerArgs, the container's /src being src and
// its /dist a new directory, which is then exported to o.OutDir.
func inContainer(t *testing.T, src string) release.Builder {
	return func(_ context.Context, o build.Options) (build.Result, error) {
		dist := filepath.Join(t.TempDir(), "dist")
		args := ContainerArgs(o)
		for i, a := range args {
			args[i] = strings.NewReplacer(ContainerSource, src, ContainerOut, dist).Replace(a)
		}
		res := run(t, nil, env{"SOURCE_DATE_EPOCH": "999"}, args...)
		require.NoError(t, os.CopyFS(o.OutDir, os.DirFS(dist)), "export")
		return BuildResult([]byte(res.stdout), o.OutDir)
	}
}

// The Dagger module's build is the CLI's: for the same source and arguments, the archives and
// SHA256SUMS are byte-identical, and so is the release they publish.
func TestContainerBuildIsTheCLIBuild(t *testing.T) {
	t.Parallel()
	src := helloSource(t)
	goBin, _ := fakeGoFor(t)
	opts := func() build.Options {
		return build.Options{Source: src, OutDir: filepath.Join(t.TempDir(), "dist"), Version: "v1.0.0",
			Platforms: "linux/amd64,darwin/arm64,windows/amd64", SourceDateEpoch: sourceDateEpoch, GoBin: goBin}
	}

	cliOpts, containerOpts := opts(), opts()
	cliRes := run(t, nil, env{}, "build", "--json", "--source", src, "--out", cliOpts.OutDir, "--version", "v1.0.0",
		"--platforms", cliOpts.Platforms, "--source-date-epoch", sourceDateEpoch)
	require.Equal(t, 0, cliRes.code, cliRes.stderr)
	containerOpts.Remote = nil
	got, err := inContainer(t, src)(t.Context(), containerOpts)
	require.NoError(t, err)
	assert.Equal(t, listDir(t, cliOpts.OutDir), listDir(t, containerOpts.OutDir), "byte-identical archives and SHA256SUMS")
	files := listDir(t, containerOpts.OutDir)
	require.Len(t, got.Artifacts, len(files))
	for _, a := range got.Artifacts {
		assert.Equal(t, filepath.Join(containerOpts.OutDir, a.Name), a.Path)
		assert.EqualValues(t, len(files[a.Name]), a.Size, a.Name)
		assert.Equal(t, sha256Hex(files[a.Name]), a.SHA256, "the sums the build computed travel with the files")
	}

	// The same release, through the CLI's builder and through the container's.
	published := map[string]map[string][]byte{}
	for name, builder := range map[string]release.Builder{"cli": build.Run, "container": inContainer(t, src)} {
		srv := newServer(t, emulator.Options{})
		_, err := release.Release(t.Context(), release.Request{
			GitHub: githubapi.Config{Token: tokWrite, APIURL: srv.APIURL(), HTTPClient: httpClientFor(srv)},
			Repo:   repo, Build: opts(), Publish: publish.Options{Tag: "v1.0.0"},
		}, builder)
		require.NoError(t, err, name)
		rels := srv.Releases(repo)
		require.Len(t, rels, 1, name)
		published[name] = assetContents(t, rels[0])
	}
	assert.Equal(t, published["cli"], published["container"])
}

// A build that fails in the container fails the function as the CLI fails: same class, same
// message, the compiler's output kept.
func TestContainerBuildFailureReadsAsTheCLIs(t *testing.T) {
	t.Parallel()
	src := brokenSource(t)
	o := build.Options{Source: src, OutDir: filepath.Join(t.TempDir(), "dist"), Version: "v1.0.0", Platforms: "linux/amd64", SourceDateEpoch: sourceDateEpoch}
	_, err := inContainer(t, src)(t.Context(), o)
	require.Error(t, err)
	direct := run(t, nil, env{}, "build", "--source", src, "--out", filepath.Join(t.TempDir(), "dist"), "--platforms", "linux/amd64",
		"--version", "v1.0.0", "--source-date-epoch", sourceDateEpoch)
	first, _, _ := strings.Cut(direct.stderr, "\n")
	assert.Equal(t, strings.TrimPrefix(first, "error: "), err.Error())
	assert.Contains(t, direct.stderr, "./main.go:3:1: syntax error")

	_, err = BuildResult([]byte("not json"), "")
	assert.ErrorContains(t, err, "read the result of the build")
}
