package emulator

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// read serves the repository-scoped GET and DELETE endpoints.
func (c *call) read() reply {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	rp, deny := c.gateLocked()
	if deny != nil {
		return *deny
	}
	info := endpoints[c.rt.ep]
	notFound := c.apiError(http.StatusNotFound, "Not Found", info.doc)
	switch c.rt.ep {
	case epGetRepo:
		return reply{status: http.StatusOK, body: s.wireRepo(rp, c.mode, c.adminLocked())}

	case epListReleases:
		var vis []*release
		for _, rel := range rp.releases {
			if c.visible(rel) {
				vis = append(vis, rel)
			}
		}
		slices.SortStableFunc(vis, func(a, b *release) int {
			if d := b.CreatedAt.Compare(a.CreatedAt); d != 0 {
				return d
			}
			return int(b.ID - a.ID)
		})
		lo, hi := c.paginate(len(vis))
		out := make([]wireRelease, 0, hi-lo)
		for _, rel := range vis[lo:hi] {
			out = append(out, s.wireRelease(rp, rel, c.mode))
		}
		return reply{status: http.StatusOK, body: out}

	case epLatestRelease:
		latest := rp.latestLocked()
		if latest == nil {
			return notFound
		}
		return reply{status: http.StatusOK, body: s.wireRelease(rp, latest, c.mode)}

	case epReleaseByTag:
		rel := rp.publishedByTag(c.rt.tag)
		if rel == nil {
			return notFound
		}
		return reply{status: http.StatusOK, body: s.wireRelease(rp, rel, c.mode)}

	case epGetRelease:
		rel := rp.releaseByID(c.rt.id)
		if rel == nil || !c.visible(rel) {
			return notFound
		}
		return reply{status: http.StatusOK, body: s.wireRelease(rp, rel, c.mode)}

	case epDeleteRelease:
		rel := rp.releaseByID(c.rt.id)
		if rel == nil {
			return notFound
		}
		rp.releases = slices.DeleteFunc(rp.releases, func(r *release) bool { return r == rel })
		rp.burnLocked(rel)
		return reply{status: http.StatusNoContent}

	case epListAssets:
		rel := rp.releaseByID(c.rt.id)
		if rel == nil || !c.visible(rel) {
			return notFound
		}
		lo, hi := c.paginate(len(rel.assets))
		out := make([]wireAsset, 0, hi-lo)
		for _, a := range rel.assets[lo:hi] {
			out = append(out, s.wireAsset(rp, rel, a, c.mode))
		}
		return reply{status: http.StatusOK, body: out}

	case epGetAsset:
		rel, a := rp.assetByID(c.rt.id)
		if a == nil || !c.visible(rel) {
			return notFound
		}
		if c.r.Header.Get("Accept") == "application/octet-stream" {
			return reply{status: http.StatusOK, raw: slices.Clone(a.Content), ctype: "application/octet-stream"}
		}
		return reply{status: http.StatusOK, body: s.wireAsset(rp, rel, a, c.mode)}

	case epDeleteAsset:
		rel, a := rp.assetByID(c.rt.id)
		if a == nil {
			return notFound
		}
		if rel.Immutable {
			return c.immutableAssets("Cannot delete asset from an immutable release", info.doc)
		}
		rel.assets = slices.DeleteFunc(rel.assets, func(x *asset) bool { return x == a })
		return reply{status: http.StatusNoContent}

	case epListTags:
		names := make([]string, 0, len(rp.tags))
		for t := range rp.tags {
			names = append(names, t)
		}
		slices.Sort(names)
		slices.Reverse(names)
		lo, hi := c.paginate(len(names))
		out := make([]wireTag, 0, hi-lo)
		for _, t := range names[lo:hi] {
			sha := rp.tags[t]
			out = append(out, wireTag{
				Name:       t,
				Commit:     wireTagCommit{SHA: sha, URL: s.repoAPIURL(rp) + "/commits/" + sha},
				ZipballURL: s.repoAPIURL(rp) + "/zipball/refs/tags/" + pathEscape(t),
				TarballURL: s.repoAPIURL(rp) + "/tarball/refs/tags/" + pathEscape(t),
				NodeID:     nodeID("REF", int64(len(t))),
			})
		}
		return reply{status: http.StatusOK, body: out}

	case epDownload:
		for _, rel := range rp.releases {
			if rel.refName() != c.rt.tag || !c.visible(rel) {
				continue
			}
			for _, a := range rel.assets {
				if a.Name == c.rt.assetName && a.State == "uploaded" {
					return reply{status: http.StatusOK, raw: slices.Clone(a.Content), ctype: "application/octet-stream"}
				}
			}
		}
		return reply{status: http.StatusNotFound, raw: []byte("Not Found"), ctype: "text/plain; charset=utf-8"}
	}
	return notFound
}

// visible reports whether the token may see rel: drafts only with push access.
func (c *call) visible(rel *release) bool {
	return !rel.Draft || c.mode.canWrite()
}

// paginate applies per_page (default 30, max 100) and page (default 1) to n
// items, sets the Link header and returns the slice bounds.
func (c *call) paginate(n int) (lo, hi int) {
	q := c.r.URL.Query()
	perPage, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || perPage < 1 {
		perPage = 30
	}
	perPage = min(perPage, 100)
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	last := max((n+perPage-1)/perPage, 1)
	link := func(p int, rel string) string {
		q.Set("page", strconv.Itoa(p))
		return fmt.Sprintf(`<%s%s?%s>; rel="%s"`, c.s.URL(), c.r.URL.EscapedPath(), q.Encode(), rel)
	}
	var links []string
	if page > 1 {
		links = append(links, link(min(page-1, last), "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"))
	}
	if len(links) > 0 {
		c.w.Header().Set("Link", strings.Join(links, ", "))
	}
	lo = min((page-1)*perPage, n)
	hi = min(lo+perPage, n)
	return lo, hi
}

// releaseFields is the JSON body of create and update.
type releaseFields struct {
	tagName, target, name, body, makeLatest *string
	draft, prerelease, generateNotes        *bool
}

// apply sets the fields given in f on rel, except tag_name and draft, whose changes have side
// effects (tags) that create and update handle themselves.
func (f releaseFields) apply(rel *release) {
	if f.target != nil && *f.target != "" {
		rel.TargetCommitish = *f.target
	}
	if f.name != nil {
		rel.Name = *f.name
	}
	if f.body != nil {
		rel.Body = *f.body
	}
	if f.prerelease != nil {
		rel.Prerelease = *f.prerelease
	}
}

// validTagName applies git's ref-name rules that GitHub enforces on tag_name.
func validTagName(t string) bool {
	if t == "" || strings.HasPrefix(t, "/") || strings.HasSuffix(t, "/") || strings.HasSuffix(t, ".") ||
		strings.HasSuffix(t, ".lock") || strings.Contains(t, "..") || strings.Contains(t, "//") ||
		strings.Contains(t, "@{") || t == "@" {
		return false
	}
	for _, r := range t {
		if r <= ' ' || r == 0x7f || strings.ContainsRune("~^:?*[\\", r) {
			return false
		}
	}
	return true
}

func (c *call) createRelease(raw []byte) reply {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	rp, deny := c.gateLocked()
	if deny != nil {
		return *deny
	}
	doc := endpoints[epCreateRelease].doc
	f, bad := c.decodeReleaseFields(raw, createReleaseBody, doc)
	if bad != nil {
		return *bad
	}
	draft := f.draft != nil && *f.draft
	if !draft && rp.publishedByTag(*f.tagName) != nil {
		return c.validationFailed(doc, wireFieldError{Resource: "Release", Code: "already_exists", Field: "tag_name"})
	}
	now := s.now().UTC().Truncate(time.Second)
	rel := &release{Release: Release{
		ID:              s.newID(),
		TagName:         *f.tagName,
		TargetCommitish: rp.branch,
		CreatedAt:       now,
	}}
	f.apply(rel)
	if f.generateNotes != nil && *f.generateNotes {
		s.applyNotes(rp, rel)
	}
	rel.Draft = draft
	if !rel.Draft {
		if deny := c.tagCreationDeniedLocked(rp, rel.TagName); deny != nil {
			return *deny
		}
		publishLocked(rp, rel, now)
	}
	before := rp.latestLocked()
	rp.releases = append(rp.releases, rel)
	if !rel.Draft {
		rp.makeLatestLocked(rel, f.makeLatest, true, before)
	}
	w := s.wireRelease(rp, rel, c.mode)
	c.w.Header().Set("Location", w.URL)
	return reply{status: http.StatusCreated, body: w}
}

// latestLocked is the repository's latest release: the one make_latest last made latest while
// it is still a published full release, else (legacy) the most recently created one; nil when
// there is no published full release.
func (rp *repo) latestLocked() *release {
	var latest *release
	for _, rel := range rp.releases {
		if rel.Draft || rel.Prerelease {
			continue
		}
		if rel.ID == rp.latest {
			return rel
		}
		if latest == nil || rel.CreatedAt.After(latest.CreatedAt) ||
			(rel.CreatedAt.Equal(latest.CreatedAt) && rel.ID > latest.ID) {
			latest = rel
		}
	}
	return latest
}

// makeLatestLocked applies make_latest to rel, a published release: "true" (the default when
// it was just published) makes it the latest unless it is a pre-release, "false" keeps before
// (the latest until now) the latest, "legacy" goes back to the most recently created.
func (rp *repo) makeLatestLocked(rel *release, makeLatest *string, published bool, before *release) {
	choice := ""
	switch {
	case makeLatest != nil:
		choice = *makeLatest
	case published:
		choice = "true"
	}
	switch choice {
	case "true":
		if !rel.Prerelease {
			rp.latest = rel.ID
		}
	case "false":
		if before != nil && before != rel {
			rp.latest = before.ID
		}
	case "legacy":
		rp.latest = 0
	}
}

// publishLocked makes rel a published release: its tag is created (if it
// does not exist yet) and published_at set.
func publishLocked(rp *repo, rel *release, now time.Time) {
	rel.Draft = false
	rel.PublishedAt = now
	rel.Immutable = rp.policy.immutable
	if _, ok := rp.tags[rel.TagName]; !ok {
		rp.tags[rel.TagName] = commitSHA(rp, rel.TargetCommitish)
	}
}

func (c *call) updateRelease(raw []byte) reply {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	rp, deny := c.gateLocked()
	if deny != nil {
		return *deny
	}
	doc := endpoints[epUpdateRelease].doc
	rel := rp.releaseByID(c.rt.id)
	if rel == nil {
		return c.apiError(http.StatusNotFound, "Not Found", doc)
	}
	f, bad := c.decodeReleaseFields(raw, updateReleaseBody, doc)
	if bad != nil {
		return *bad
	}
	if deny := c.updateDeniedLocked(rp, rel, f); deny != nil {
		return *deny
	}
	retag := f.tagName != nil && *f.tagName != rel.TagName
	// A release that ends up published must be the only published one on its tag.
	tag, published := rel.TagName, !rel.Draft
	if retag {
		tag = *f.tagName
	}
	if f.draft != nil {
		published = !*f.draft
	}
	if other := rp.publishedByTag(tag); published && other != nil && other != rel {
		return c.validationFailed(doc, wireFieldError{Resource: "Release", Code: "already_exists", Field: "tag_name"})
	}
	if retag {
		rel.TagName = *f.tagName
		if !rel.Draft {
			if _, ok := rp.tags[rel.TagName]; !ok {
				rp.tags[rel.TagName] = commitSHA(rp, rel.TargetCommitish)
			}
		}
	}
	wasDraft, before := rel.Draft, rp.latestLocked()
	f.apply(rel)
	if f.draft != nil {
		switch {
		case rel.Draft && !*f.draft:
			publishLocked(rp, rel, s.now().UTC().Truncate(time.Second))
		case !rel.Draft && *f.draft:
			rel.Draft = true
			rel.PublishedAt = time.Time{}
		}
	}
	if !rel.Draft {
		rp.makeLatestLocked(rel, f.makeLatest, wasDraft, before)
	}
	return reply{status: http.StatusOK, body: s.wireRelease(rp, rel, c.mode)}
}

// upload serves POST …/releases/{id}/assets?name=&label= on the upload host.
func (c *call) upload() reply {
	s := c.s
	content, err := io.ReadAll(c.r.Body)
	if err != nil {
		return reply{} // the client went away mid-body
	}
	uploadError := func(status int, msg string) reply {
		return reply{status: status, body: wireError{Message: msg, RequestID: c.reqID}}
	}
	doc := endpoints[epUpload].doc

	s.mu.Lock()
	rp, deny := c.gateLocked()
	if deny != nil {
		s.mu.Unlock()
		return *deny
	}
	rel := rp.releaseByID(c.rt.id)
	if rel == nil {
		s.mu.Unlock()
		return c.apiError(http.StatusNotFound, "Not Found", doc)
	}
	if rel.Immutable {
		s.mu.Unlock()
		return c.immutableUpload()
	}
	ctype := c.r.Header.Get("Content-Type")
	mediaType, _, mtErr := mime.ParseMediaType(ctype)
	q := c.r.URL.Query()
	name := sanitizeAssetName(q.Get("name"))
	var bad *reply
	switch {
	case ctype == "" || mtErr != nil:
		rp := uploadError(http.StatusBadRequest, fmt.Sprintf("Invalid Content-Type: '%s'", ctype))
		bad = &rp
	case mediaType == "application/x-www-form-urlencoded" || mediaType == "multipart/form-data":
		rp := c.validationFailed(doc, wireFieldError{Resource: "ReleaseAsset", Code: "invalid", Field: "content_type"})
		bad = &rp
	case c.r.ContentLength < 0:
		rp := uploadError(http.StatusBadRequest, "Bad Content-Length: ")
		bad = &rp
	case name == "":
		rp := uploadError(http.StatusBadRequest, "Invalid name for request")
		bad = &rp
	}
	if bad != nil {
		s.mu.Unlock()
		return *bad
	}
	if errs := rel.uploadProblems(name); len(errs) > 0 {
		s.mu.Unlock()
		rp := c.validationFailed(doc, errs...)
		we := rp.body.(wireError)
		we.RequestID = c.reqID
		rp.body = we
		return rp
	}
	now := s.now().UTC().Truncate(time.Second)
	a := &asset{Asset: Asset{
		ID:          s.newID(),
		Name:        name,
		Label:       q.Get("label"),
		ContentType: ctype,
		State:       "uploaded",
		Size:        int64(len(content)),
		Content:     content,
		Digest:      digestOf(content),
		CreatedAt:   now,
		UpdatedAt:   now,
	}}
	if c.fault != nil && c.fault.Corrupt && len(a.Content) > 0 {
		a.Content[0] ^= 0xff
		a.Digest = digestOf(a.Content) // GitHub digests what arrived
	}
	starter := c.fault != nil && c.fault.StarterAsset
	if starter {
		a.State, a.Size, a.Content, a.Digest = "starter", 0, nil, ""
	}
	rel.assets = append(rel.assets, a)
	w := s.wireAsset(rp, rel, a, c.mode)
	s.mu.Unlock()

	if starter {
		if c.fault.Status != 0 {
			return c.statusFault()
		}
		c.drop()
		return reply{}
	}
	return reply{status: http.StatusCreated, body: w}
}

// sanitizeAssetName renames like GitHub: characters other than letters,
// digits, '-', '_', '.' and '+' become '.', runs of '.' collapse, a leading
// '.' gets the prefix "default" and trailing '.' are dropped.
func sanitizeAssetName(n string) string {
	var b strings.Builder
	for _, r := range n {
		ok := r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.+", r))
		if !ok {
			r = '.'
		}
		if r == '.' && strings.HasSuffix(b.String(), ".") {
			continue
		}
		b.WriteRune(r)
	}
	out := strings.TrimRight(b.String(), ".")
	if strings.HasPrefix(out, ".") {
		out = "default" + out
	}
	return out
}

func (c *call) rateLimitStatus() reply {
	core := wireRate{
		Limit:     c.rate.limit,
		Used:      c.rate.used,
		Remaining: max(c.rate.limit-c.rate.used, 0),
		Reset:     c.rate.reset.Unix(),
	}
	search := wireRate{Limit: 30, Remaining: 30, Reset: c.s.now().Add(time.Minute).Unix()}
	if c.mode == ModeAnonymous {
		search.Limit, search.Remaining = 10, 10
	}
	graphql := wireRate{Limit: 5000, Remaining: 5000, Reset: c.rate.reset.Unix()}
	if c.mode.integration() {
		graphql.Limit, graphql.Remaining = 1000, 1000
	}
	if c.mode == ModeAnonymous {
		graphql = wireRate{Reset: c.rate.reset.Unix()}
	}
	withName := func(r wireRate, name string) wireRate { r.Resource = name; return r }
	return reply{status: http.StatusOK, body: wireRateLimit{
		Resources: map[string]wireRate{
			"core":    withName(core, "core"),
			"search":  withName(search, "search"),
			"graphql": withName(graphql, "graphql"),
		},
		Rate: withName(core, "core"),
	}}
}
