package emulator_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
)

func TestUploadAsset(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	clk := s.clock
	gh := newClient(t, s, tokWrite)
	ctx := context.Background()
	draft := createDraft(t, gh, "v1.0.0")
	content := []byte("release archive bytes")

	a, resp, err := gh.Repositories.UploadReleaseAsset(ctx, owner, repoName, draft.GetID(),
		&github.UploadOptions{Name: "app_linux_amd64.tar.gz", Label: "Linux", MediaType: "application/gzip"},
		tempFile(t, "app_linux_amd64.tar.gz", content))
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "uploaded", a.GetState())
	assert.Equal(t, len(content), a.GetSize())
	assert.Equal(t, "app_linux_amd64.tar.gz", a.GetName())
	assert.Equal(t, "Linux", a.GetLabel())
	assert.Equal(t, "application/gzip", a.GetContentType())
	assert.Equal(t, clk.Now(), a.GetCreatedAt().Time.UTC())
	assert.Regexp(t, `/acme/widgets/releases/download/untagged-[0-9a-f]{20}/app_linux_amd64\.tar\.gz$`, a.GetBrowserDownloadURL())
	assert.Equal(t, s.APIURL()+"repos/acme/widgets/releases/assets/"+itoa(a.GetID()), a.GetURL())

	snap := s.Releases(fullRepo)[0].Assets
	require.Len(t, snap, 1)
	assert.Equal(t, content, snap[0].Content)
	assert.Equal(t, int64(len(content)), snap[0].Size)

	rc, _, err := gh.Repositories.DownloadReleaseAsset(ctx, owner, repoName, a.GetID(), nil)
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, content, got)

	// Publishing moves the download URL onto the tag, where it serves the bytes.
	pub, _, err := gh.Repositories.UpdateRelease(ctx, owner, repoName, draft.GetID(), github.UpdateReleaseRequest{Draft: new(false)})
	require.NoError(t, err)
	require.Len(t, pub.Assets, 1)
	dl := pub.Assets[0].GetBrowserDownloadURL()
	assert.Equal(t, s.URL()+"/acme/widgets/releases/download/v1.0.0/app_linux_amd64.tar.gz", dl)
	dresp, body := rawDo(t, s, http.MethodGet, dl, bearer(tokClamped), nil)
	assert.Equal(t, 200, dresp.StatusCode)
	assert.Equal(t, content, body)
}

func TestUploadDuplicateName(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	gh := newClient(t, s, tokWrite)
	ctx := context.Background()
	draft := createDraft(t, gh, "v1.0.0")
	upload := func() (*github.ReleaseAsset, *github.Response, error) {
		return gh.Repositories.UploadReleaseAsset(ctx, owner, repoName, draft.GetID(),
			&github.UploadOptions{Name: "SHA256SUMS"}, tempFile(t, "SHA256SUMS", []byte("sums")))
	}
	first, _, err := upload()
	require.NoError(t, err)

	_, resp, err := upload()
	er := errorResponse(t, err)
	assert.Equal(t, 422, resp.StatusCode)
	assert.Equal(t, "Validation Failed", er.Message)
	assert.Equal(t, []github.Error{{Resource: "ReleaseAsset", Code: "already_exists", Field: "name"}}, er.Errors)

	_, err = gh.Repositories.DeleteReleaseAsset(ctx, owner, repoName, first.GetID())
	require.NoError(t, err)
	_, _, err = upload()
	require.NoError(t, err, "the name is free again after DELETE")
	assert.Len(t, s.Releases(fullRepo)[0].Assets, 1)
}

func TestUploadValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		query      string
		header     http.Header
		chunked    bool
		release    bool // target an existing release
		wantStatus int
		wantInBody string
	}{
		{"no content type", "?name=a.zip", http.Header{}, false, true, 400, `"message":"Invalid Content-Type: ''"`},
		{"form content type", "?name=a.zip", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, false, true, 422,
			`"message":"Validation Failed"`},
		{"chunked body", "?name=a.zip", http.Header{"Content-Type": {"application/zip"}}, true, true, 400, `"message":"Bad Content-Length: "`},
		{"no name", "", http.Header{"Content-Type": {"application/zip"}}, false, true, 400, `"message":"Invalid name for request"`},
		{"missing release", "?name=a.zip", http.Header{"Content-Type": {"application/zip"}}, false, false, 404, `"message":"Not Found"`},
		{"ok", "?name=a.zip&label=Zip", http.Header{"Content-Type": {"application/zip"}}, false, true, 201, `"state":"uploaded"`},
		{"renamed", "?name=my%20app%20(1).zip", http.Header{"Content-Type": {"application/zip"}}, false, true, 201, `"name":"my.app.1.zip"`},
		{"leading dot", "?name=.env", http.Header{"Content-Type": {"text/plain"}}, false, true, 201, `"name":"default.env"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Requests GitHub's schema refuses, on purpose: answers only.
			s := newServer(t, emulatortest.WithResponsesOnly())
			id := int64(424242)
			if tt.release {
				id = s.SeedRelease(fullRepo, emulator.Release{TagName: "v1", Draft: true}).ID
			}
			u := fmt.Sprintf("%srepos/acme/widgets/releases/%d/assets%s", s.UploadURL(), id, tt.query)
			var body io.Reader = bytes.NewReader([]byte("payload"))
			if tt.chunked {
				body = io.MultiReader(strings.NewReader("pay"), strings.NewReader("load")) // unknown length
			}
			req, err := http.NewRequest(http.MethodPost, u, body)
			require.NoError(t, err)
			req.Header = tt.header.Clone()
			req.Header.Set("Authorization", "Bearer "+tokWrite)
			resp, err := s.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			data, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.wantStatus, resp.StatusCode, string(data))
			assert.Contains(t, string(data), tt.wantInBody)
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
			requireGitHubHeaders(t, resp.Header)
			if tt.wantStatus != 201 && tt.release {
				assert.Empty(t, s.Releases(fullRepo)[0].Assets)
			}
		})
	}
}

func TestUploadOnAPIHostOnlyWhenPrefixesMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []emulatortest.Option
		want int
	}{
		{"github.com layout", nil, 201},
		// An upload to the API host, on purpose: unchecked.
		{"separate upload prefix", []emulatortest.Option{emulatortest.WithPrefixes("/api/v3/", "/api/uploads/"), emulatortest.WithoutConformance()}, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, tt.opts...)
			rel := s.SeedRelease(fullRepo, emulator.Release{TagName: "v1", Draft: true})
			h := bearer(tokWrite)
			h.Set("Content-Type", "application/zip")
			resp, _ := rawDo(t, s, http.MethodPost, fmt.Sprintf("%srepos/acme/widgets/releases/%d/assets?name=a.zip", s.APIURL(), rel.ID), h, []byte("zip"))
			assert.Equal(t, tt.want, resp.StatusCode)
		})
	}
}

func TestConcurrentUploads(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	gh := newClient(t, s, tokWrite)
	draft := createDraft(t, gh, "v1.0.0")
	const n = 12
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		name := fmt.Sprintf("app_%02d.tar.gz", i)
		f := tempFile(t, name, bytes.Repeat([]byte{byte(i)}, 1000+i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = gh.Repositories.UploadReleaseAsset(context.Background(), owner, repoName, draft.GetID(),
				&github.UploadOptions{Name: name}, f)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assets := s.Releases(fullRepo)[0].Assets
	require.Len(t, assets, n)
	for _, a := range assets {
		var i int
		_, err := fmt.Sscanf(a.Name, "app_%02d.tar.gz", &i)
		require.NoError(t, err)
		assert.Equal(t, int64(1000+i), a.Size, a.Name)
	}
}
