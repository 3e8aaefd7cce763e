package publish

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// stateUploaded is the state of a complete asset; an upload that failed
// upstream leaves one in state "starter".
const stateUploaded = "uploaded"

// syncAssets makes the assets of the release match p.files: it clears what
// earlier tries left behind, uploads every file and verifies the result.
func (p *publisher) syncAssets(ctx context.Context, releaseID int64) error {
	remote, err := p.assets(ctx, releaseID)
	if err != nil {
		return err
	}
	local := make(map[string]bool, len(p.files))
	for _, f := range p.files {
		local[f.Name] = true
	}
	stale := map[string]int64{}
	for _, a := range remote {
		switch {
		case local[a.GetName()]:
			stale[a.GetName()] = a.GetID()
		case a.GetState() != stateUploaded:
			if err := p.deleteLeftover(ctx, a); err != nil {
				return err
			}
		default:
			p.warn("asset %s of release %s is not in %s and was kept", a.GetName(), p.opts.Tag, p.opts.AssetsDir)
		}
	}
	if err := p.uploadAll(ctx, releaseID, stale); err != nil {
		return err
	}
	remote, err = p.assets(ctx, releaseID)
	if err != nil {
		return err
	}
	return p.verify(remote)
}

// assets lists the assets of the release.
func (p *publisher) assets(ctx context.Context, releaseID int64) ([]*github.ReleaseAsset, error) {
	var assets []*github.ReleaseAsset
	err := p.c.Do(ctx, "list assets of release "+p.opts.Tag, p.opts.Repo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		var (
			resp *github.Response
			err  error
		)
		assets, resp, err = listAssets(ctx, gh, p.opts.Repo, releaseID)
		return resp, err
	})
	return assets, err
}

// deleteLeftover deletes an unfinished asset that no file will replace.
func (p *publisher) deleteLeftover(ctx context.Context, a *github.ReleaseAsset) error {
	return p.c.Do(ctx, "delete unfinished asset "+a.GetName(), p.opts.Repo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
		return deleteAsset(ctx, gh, p.opts.Repo, a.GetID())
	})
}

// uploadAll uploads p.files with at most p.opts.Concurrency uploads in
// flight. The first failure cancels the rest and is returned. stale maps
// asset names to the IDs of same-named assets to delete first.
func (p *publisher) uploadAll(ctx context.Context, releaseID int64, stale map[string]int64) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	queue := make(chan File)
	for range min(p.opts.Concurrency, len(p.files)) {
		wg.Go(func() {
			for f := range queue {
				if err := p.upload(ctx, releaseID, f, stale[f.Name]); err != nil {
					once.Do(func() { first = err; cancel() })
				}
			}
		})
	}
feed:
	for _, f := range p.files {
		select {
		case queue <- f:
		case <-ctx.Done():
			break feed
		}
	}
	close(queue)
	wg.Wait()
	// When the caller cancels between two uploads, first is nil; the next
	// request of syncAssets then fails without being sent.
	return first
}

// upload uploads one file, streaming it from disk. Every attempt reopens the
// file. Every attempt after a failed one first deletes any asset with the
// file's name, since the failure may have left a half-made ("starter") asset;
// so does the first attempt when staleID names an asset from an earlier try.
// An upload answered with 422 already_exists (the name appeared meanwhile) is
// retried once the same way.
func (p *publisher) upload(ctx context.Context, releaseID int64, f File, staleID int64) error {
	repo := p.opts.Repo
	start := p.opts.Now()
	for round := 1; ; round++ {
		attempt := 0
		err := p.c.Do(ctx, "upload "+f.Name, repo, func(ctx context.Context, gh *github.Client) (*github.Response, error) {
			attempt++
			switch {
			case staleID != 0:
				if resp, err := deleteAsset(ctx, gh, repo, staleID); err != nil {
					return resp, err
				}
				staleID = 0
			case attempt > 1 || round > 1:
				if resp, err := deleteNamed(ctx, gh, repo, releaseID, f.Name); err != nil {
					return resp, err
				}
			}
			file, err := os.Open(f.Path)
			if err != nil {
				return nil, err
			}
			defer file.Close()
			_, resp, err := gh.Repositories.UploadReleaseAsset(ctx, repo.Owner, repo.Name, releaseID,
				&github.UploadOptions{Name: f.Name}, file)
			return resp, err
		})
		if round == 1 && githubapi.IsAlreadyExists(err, "name") {
			continue
		}
		if err != nil {
			return err
		}
		p.progress("uploaded %s (%s) in %s\n", f.Name, build.Size(f.Size), p.opts.Now().Sub(start).Round(time.Millisecond))
		return nil
	}
}

// progress writes one line to Options.Progress; uploads call it concurrently.
func (p *publisher) progress(format string, args ...any) {
	p.progressMu.Lock()
	defer p.progressMu.Unlock()
	fmt.Fprintf(p.opts.Progress, format, args...)
}

// verify checks that every file is an asset in state "uploaded" with the
// file's size.
func (p *publisher) verify(remote []*github.ReleaseAsset) error {
	byName := make(map[string]*github.ReleaseAsset, len(remote))
	for _, a := range remote {
		byName[a.GetName()] = a
	}
	var problems []string
	for _, f := range p.files {
		a := byName[f.Name]
		switch {
		case a == nil:
			problems = append(problems, f.Name+" is missing")
		case a.GetState() != stateUploaded:
			problems = append(problems, fmt.Sprintf("%s is in state %q", f.Name, a.GetState()))
		case int64(a.GetSize()) != f.Size:
			problems = append(problems, fmt.Sprintf("%s has %d bytes on GitHub but %d on disk", f.Name, a.GetSize(), f.Size))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &outcome.Error{
		Class:   outcome.ServerError,
		Op:      "verify assets of release " + p.opts.Tag,
		Repo:    p.opts.Repo.String(),
		Message: "GitHub accepted the uploads but lists " + strings.Join(problems, "; "),
	}
}
