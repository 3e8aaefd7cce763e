package emulator_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v93/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/internal/emulator"
	"github.com/release-preflight/release-preflight/internal/emulator/emulatortest"
)

// POST …/releases/generate-notes answers GitHub's release-notes-content
// ({name, body}) for a repository without pull requests, and stores nothing.
func TestGenerateNotes(t *testing.T) {
	t.Parallel()
	const doc = "https://docs.github.com/rest/releases/releases#generate-release-notes-content-for-a-release"
	tests := []struct {
		name       string
		seed       []emulator.Release
		body       string
		token      string
		wantStatus int
		want       map[string]any
	}{
		{name: "first release", body: `{"tag_name":"v1.0.0"}`, wantStatus: 200, want: map[string]any{
			"name": "v1.0.0", "body": "**Full Changelog**: {URL}/acme/widgets/commits/v1.0.0"}},
		{name: "since the latest published release",
			seed: []emulator.Release{{TagName: "v0.8.0", CreatedAt: time.Unix(1e9, 0)}, {TagName: "v0.9.0"}, {TagName: "v0.10.0-draft", Draft: true}},
			body: `{"tag_name":"v1.0.0","target_commitish":"main","configuration_file_path":".github/release.yml"}`, wantStatus: 200,
			want: map[string]any{"name": "v1.0.0", "body": "**Full Changelog**: {URL}/acme/widgets/compare/v0.9.0...v1.0.0"}},
		{name: "since a given tag", seed: []emulator.Release{{TagName: "v0.8.0", CreatedAt: time.Unix(1e9, 0)}, {TagName: "v0.9.0"}},
			body: `{"tag_name":"v1.0.0","previous_tag_name":"v0.8.0"}`, wantStatus: 200,
			want: map[string]any{"name": "v1.0.0", "body": "**Full Changelog**: {URL}/acme/widgets/compare/v0.8.0...v1.0.0"}},
		{name: "a previous tag that does not exist", body: `{"tag_name":"v1.0.0","previous_tag_name":"v0.1.0"}`, wantStatus: 404,
			want: map[string]any{"message": "Not Found", "documentation_url": doc, "status": "404"}},
		{name: "an empty previous tag, as GoReleaser sends for a first release", body: `{"tag_name":"v1.0.0","previous_tag_name":""}`,
			wantStatus: 400, want: map[string]any{"message": "Invalid previous_tag parameter", "documentation_url": doc, "status": "400"}},
		{name: "an empty tag_name", body: `{"tag_name":"","previous_tag_name":"v0.1.0"}`, wantStatus: 400,
			want: map[string]any{"message": "Missing tag_name parameter", "documentation_url": doc, "status": "400"}},
		{name: "no tag_name", body: `{"previous_tag_name":"v0.1.0"}`, wantStatus: 422,
			want: map[string]any{"message": "Invalid request.\n\n\"tag_name\" wasn't supplied.", "documentation_url": doc, "status": "422"}},
		{name: "tag_name not a string", body: `{"tag_name":true}`, wantStatus: 422,
			want: map[string]any{"message": "Invalid request.\n\nFor 'properties/tag_name', true is not a string.", "documentation_url": doc, "status": "422"}},
		{name: "an invalid tag_name", body: `{"tag_name":"v1:0"}`, wantStatus: 422,
			want: map[string]any{"message": "Validation Failed", "documentation_url": doc, "status": "422",
				"errors": []any{map[string]any{"resource": "Release", "code": "invalid", "field": "tag_name"}}}},
		{name: "clamped token", body: `{"tag_name":"v1.0.0"}`, token: tokClamped, wantStatus: 403,
			want: map[string]any{"message": "Resource not accessible by integration", "documentation_url": doc, "status": "403"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Requests GitHub's schema refuses, on purpose: answers only.
			s := newServer(t, emulatortest.WithResponsesOnly())
			for _, r := range tt.seed {
				s.SeedRelease(fullRepo, r)
			}
			before, tags := s.Releases(fullRepo), s.Tags(fullRepo)
			tok := tt.token
			if tok == "" {
				tok = tokWrite
			}
			resp, body := rawDo(t, s, http.MethodPost, s.APIURL()+"repos/acme/widgets/releases/generate-notes", bearer(tok), []byte(tt.body))
			require.Equal(t, tt.wantStatus, resp.StatusCode, "%s", body)
			var got map[string]any
			require.NoError(t, json.Unmarshal(body, &got))
			want := maps.Clone(tt.want)
			if b, ok := want["body"].(string); ok {
				want["body"] = strings.ReplaceAll(b, "{URL}", s.URL())
			}
			assert.Equal(t, want, got)
			assert.Equal(t, before, s.Releases(fullRepo), "the notes are not stored")
			assert.Equal(t, tags, s.Tags(fullRepo), "no tag is created")
		})
	}
}

// generate_release_notes on create fills the release as generate-notes
// would: a given name wins, a given body comes first.
func TestCreateWithGeneratedNotes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		give             github.CreateReleaseRequest
		generate         bool
		wantName         string
		wantBodyTemplate string
	}{
		{name: "name and body generated", give: github.CreateReleaseRequest{}, generate: true,
			wantName: "v1.0.0", wantBodyTemplate: "**Full Changelog**: {URL}/acme/widgets/compare/v0.9.0...v1.0.0"},
		{name: "given name kept", give: github.CreateReleaseRequest{Name: new("Widgets 1.0")}, generate: true,
			wantName: "Widgets 1.0", wantBodyTemplate: "**Full Changelog**: {URL}/acme/widgets/compare/v0.9.0...v1.0.0"},
		{name: "given body first", give: github.CreateReleaseRequest{Body: new("Highlights: faster.")}, generate: true,
			wantName: "v1.0.0", wantBodyTemplate: "Highlights: faster.\n\n**Full Changelog**: {URL}/acme/widgets/compare/v0.9.0...v1.0.0"},
		{name: "not asked for", give: github.CreateReleaseRequest{Body: new("Highlights: faster.")},
			wantName: "", wantBodyTemplate: "Highlights: faster."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			s.SeedRelease(fullRepo, emulator.Release{TagName: "v0.9.0"})
			give := tt.give
			give.TagName, give.Draft, give.GenerateReleaseNotes = "v1.0.0", new(true), new(tt.generate)
			rel, _, err := newClient(t, s, tokWrite).Repositories.CreateRelease(context.Background(), owner, repoName, give)
			require.NoError(t, err)
			wantBody := strings.ReplaceAll(tt.wantBodyTemplate, "{URL}", s.URL())
			assert.Equal(t, tt.wantName, rel.GetName())
			assert.Equal(t, wantBody, rel.GetBody())
			stored := s.Releases(fullRepo)[1]
			assert.Equal(t, tt.wantName, stored.Name)
			assert.Equal(t, wantBody, stored.Body)
		})
	}
}
