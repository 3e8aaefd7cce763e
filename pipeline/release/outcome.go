package release

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/release-preflight/release-preflight/pipeline/build"
	"github.com/release-preflight/release-preflight/pipeline/githubapi"
	"github.com/release-preflight/release-preflight/pipeline/publish"
	"github.com/release-preflight/release-preflight/pipeline/report"
)

// Record records err, the outcome of a step, in rep: a nil err passes; a build input error is
// invalid-input and a failed build is build-failed; GitHub errors keep their own class. A
// failure's fix and permissions come from err alone, never from an earlier step that passed.
func Record(rep *report.Report, err error) {
	if err != nil {
		rep.Remediation, rep.RequiredPermissions, rep.RequestID = "", "", ""
	}
	var buildErr *build.BuildError
	switch {
	case err == nil:
	case errors.Is(err, build.ErrInvalidInput):
		rep.Class = string(githubapi.ClassInvalidInput)
	case errors.As(err, &buildErr):
		rep.Class = string(githubapi.ClassBuildFailed)
	}
	report.FromError(rep, err)
}

// ParsePrerelease reads "auto" (nil: decided by the tag's semver suffix), "true" or "false".
func ParsePrerelease(s string) (*bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return nil, nil
	case "true":
		v := true
		return &v, nil
	case "false":
		v := false
		return &v, nil
	}
	return nil, &githubapi.Error{
		Class:   githubapi.ClassInvalidInput,
		Op:      "check --prerelease",
		Message: fmt.Sprintf("%q is not true, false or auto: pass one of those", s),
	}
}

// BuildReport builds spec and reports the archives it wrote.
func BuildReport(ctx context.Context, spec BuildSpec) (report.Report, error) {
	start := time.Now()
	rep := report.Report{Command: "build", Tag: spec.Config.Stamp.Version}
	arts, err := Build(ctx, spec)
	rep.ElapsedMS = time.Since(start).Milliseconds()
	for _, a := range arts {
		rep.Assets = append(rep.Assets, report.Asset{Name: a.Name, Size: a.Size, SHA256: a.SHA256})
	}
	if err == nil {
		rep.Message = fmt.Sprintf("built %d archives and %s in %s", len(arts)-1, build.ChecksumsFile, spec.OutDir)
	}
	Record(&rep, err)
	return rep, err
}

// Sweep deletes leftover probe drafts and reports what it deleted.
func Sweep(ctx context.Context, c *githubapi.Client, opts publish.SweepOptions) (report.Report, error) {
	start := time.Now()
	rep := report.Report{Command: "sweep", Repo: opts.Repo.String()}
	res, err := publish.Sweep(ctx, c, opts)
	rep.Requests = c.Requests()
	rep.ElapsedMS = time.Since(start).Milliseconds()
	rep.Swept = res.Deleted
	if err == nil {
		verb := "deleted"
		if opts.DryRun {
			verb = "would delete"
		}
		rep.Message = fmt.Sprintf("%s %d leftover probe drafts in %s", verb, len(res.Deleted), rep.Repo)
	}
	Record(&rep, err)
	return rep, err
}
