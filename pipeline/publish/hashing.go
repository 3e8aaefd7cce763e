package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sync"

	"github.com/release-preflight/release-preflight/pipeline/checksums"
	"github.com/release-preflight/release-preflight/pipeline/outcome"
	"github.com/release-preflight/release-preflight/pipeline/regular"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// A directory without a checksum file has nothing to verify before the first request, so its
// files are hashed in the background once Publish starts, while they upload: a large file's
// SHA-256 then costs no wall time before the upload that needs it only once it has arrived.
// The hashing thread is nicer than the rest (see inBackground): hashed at the same priority, a
// 1 GiB file took 1.15× as long to upload to a server on the same two cores as with nothing
// hashed beside it; reniced, the upload takes curl's time (bench/run's publish rows).

// hashing hashes files, in order, in one goroutine bound to a context.
type hashing struct {
	results map[string]*hashResult
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

type hashResult struct {
	done chan struct{}
	sum  string
	err  error
}

// startHashing hashes the files without a sum. stop ends it and waits for it.
func startHashing(ctx context.Context, files []File) *hashing {
	ctx, cancel := context.WithCancel(ctx)
	h := &hashing{results: map[string]*hashResult{}, cancel: cancel}
	var todo []File
	for _, f := range files {
		if f.SHA256 == "" {
			h.results[f.Name] = &hashResult{done: make(chan struct{})}
			todo = append(todo, f)
		}
	}
	h.wg.Go(func() {
		inBackground(func() {
			for _, f := range todo {
				r := h.results[f.Name]
				r.sum, r.err = hashFileCtx(ctx, f)
				close(r.done)
			}
		})
	})
	return h
}

func (h *hashing) stop() {
	h.cancel()
	h.wg.Wait()
}

// sum waits for the SHA-256 of the file called name.
func (h *hashing) sum(ctx context.Context, name string) (string, error) {
	r, ok := h.results[name]
	if !ok {
		return "", fmt.Errorf("hash %s: not a file of this publish", name)
	}
	select {
	case <-r.done:
		return r.sum, r.err
	case <-ctx.Done():
		return "", context.Cause(ctx)
	}
}

// hashFileCtx is the SHA-256 of f, read in chunks that each check ctx. A file whose size
// changed since it was listed fails: it is not the file the publish checked.
func hashFileCtx(ctx context.Context, f File) (string, error) {
	in, err := openListed(f)
	if err != nil {
		return "", err
	}
	defer in.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, ctxReader{ctx: ctx, r: in}, make([]byte, 1<<20))
	switch {
	case ctx.Err() != nil:
		return "", context.Cause(ctx)
	case err != nil:
		return "", changedFile(f, err)
	case n != f.Size:
		return "", changedFile(f, fmt.Errorf("it has %d bytes, not the %d it had", n, f.Size))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func changedFile(f File, err error) error {
	return &outcome.Error{Class: outcome.InvalidInput, Op: "read " + f.Name, Input: "assets", Err: err,
		Message:     fmt.Sprintf("%s changed or went away while it was published: %v", f.Path, err),
		Remediation: "Leave the assets directory alone while publishing, then re-run the same command."}
}

// ctxReader is a reader that stops once its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// hashed is f with its SHA-256, waited for when it is still being computed.
func (p *publisher) hashed(ctx context.Context, f File) (File, error) {
	if f.SHA256 != "" || p.hash == nil {
		return f, nil
	}
	sum, err := p.hash.sum(ctx, f.Name)
	f.SHA256 = sum
	return f, err
}

// ready waits for every file's SHA-256 and then makes the managed SHA256SUMS from them,
// writes it beside the files for the user to keep, and fills in the result's assets. Every
// step that compares the files with what GitHub holds runs after it.
func (p *publisher) ready(ctx context.Context) error {
	if p.isReady {
		return nil
	}
	for i := range p.files {
		f, err := p.hashed(ctx, p.files[i])
		if err != nil {
			return err
		}
		p.files[i] = f
	}
	if p.sums != nil && p.sums.content == nil && p.sums.SHA256 == "" {
		listed := make([]checksums.Sum, 0, len(p.files))
		for _, f := range p.files {
			listed = append(listed, checksums.Sum{Name: f.Name, SHA256: f.SHA256})
		}
		content, err := checksums.Format(listed)
		if err != nil {
			return err
		}
		sums := *p.sums
		sums.content, sums.SHA256, sums.Size = content, sha256Hex(content), int64(len(content))
		p.sums = &sums
	}
	if p.sums != nil && p.sums.content != nil {
		// Written once the probe has passed, for the user to keep beside the files: into a
		// temporary file renamed into place, so that nothing at that path is written through.
		if err := regular.WriteFile(p.sums.Path, p.sums.content, 0o644); err != nil {
			return &outcome.Error{Class: outcome.Unexpected, Op: "write " + checksums.FileName, Err: err,
				Remediation: "Make the assets directory writable, or add a checksum file to it yourself."}
		}
	}
	p.res.Assets = p.res.Assets[:0]
	for _, f := range p.allFiles() {
		p.res.Assets = append(p.res.Assets, report.Asset{Name: f.Name, Size: f.Size, SHA256: f.SHA256})
	}
	p.isReady = true
	return nil
}
