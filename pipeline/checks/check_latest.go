package checks

import "github.com/release-preflight/release-preflight/pipeline/tags"

// latestCheck decides make_latest: a tag lower (semver) than the latest release's does not
// take its place. It reads the latest release only when it decides.
var latestCheck = check{
	name: "latest",
	fetches: func(in Input) []fetch {
		if in.Tag == "" || in.Latest != LatestAuto || in.Draft || isPrerelease(in) {
			return nil
		}
		return []fetch{fetchLatest}
	},
	decide: (*Result).latest,
}

// latest decides whether the release becomes the repository's latest: as asked, or, by
// default, unless its tag is lower (semver) than the latest release's.
func (r *Result) latest() result {
	in := r.in
	r.MakeLatest = ""
	switch {
	case in.Tag == "":
		return noTag()
	case isPrerelease(in):
		return ok("%s is a pre-release, which never becomes the latest release", in.Tag)
	case in.Latest == LatestTrue:
		r.MakeLatest = LatestTrue
		return ok("%s becomes the latest release, as asked", in.Tag)
	case in.Latest == LatestFalse:
		r.MakeLatest = LatestFalse
		return ok("%s does not become the latest release, as asked", in.Tag)
	case in.Draft:
		return ok("%s is left as a draft: whoever publishes it decides whether it becomes the latest release", in.Tag)
	}
	if e := r.found.latestErr; e != nil {
		return unreadable(e, "reading the latest release")
	}
	latest := r.found.latest
	if latest == nil {
		r.MakeLatest = LatestTrue
		return ok("%s has no latest release yet: %s becomes it", in.Repo, in.Tag)
	}
	if latest.TagName == in.Tag {
		return ok("%s is the latest release already", in.Tag)
	}
	order, comparable := tags.Compare(in.Tag, latest.TagName)
	if !comparable {
		return skipped("latest", "Say whether it becomes the latest release (true or false) to decide it yourself.",
			"%s and the latest release %s are not both semantic versions, so they cannot be compared: GitHub makes %s the latest",
			in.Tag, latest.TagName, in.Tag)
	}
	if order < 0 {
		r.MakeLatest = LatestFalse
		return ok("%s is lower than the latest release %s: it is published with make_latest false, so %s stays the latest",
			in.Tag, latest.TagName, latest.TagName)
	}
	r.MakeLatest = LatestTrue
	return ok("%s is higher than the latest release %s and becomes the latest", in.Tag, latest.TagName)
}
