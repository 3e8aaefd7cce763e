package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	docsRoot       = "https://docs.github.com/rest"
	docsRateLimits = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
	docsSecondary  = docsRateLimits + "#about-secondary-rate-limits"
	docsSSO        = "https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/"
	installationID = 4242424
	userID         = 583231
	maxJSONBody    = 1 << 20
)

type endpoint int

const (
	epNone endpoint = iota
	epRateLimit
	epGetRepo
	epListReleases
	epCreateRelease
	epLatestRelease
	epReleaseByTag
	epGetRelease
	epUpdateRelease
	epDeleteRelease
	epListAssets
	epUpload
	epGetAsset
	epDeleteAsset
	epGetRef
	epListTags
	epDownload
	epUpdateAsset
	epGenerateNotes
	epMatchingRefs
	epDeleteRef
)

// endpointInfo is what GitHub documents for an endpoint: whether it writes,
// the fine-grained permission it needs and its documentation URL.
type endpointInfo struct {
	write bool
	perm  string
	doc   string
}

var endpoints = map[endpoint]endpointInfo{
	epGetRepo:       {perm: "metadata=read", doc: docsRoot + "/repos/repos#get-a-repository"},
	epListReleases:  {perm: "contents=read", doc: docsRoot + "/releases/releases#list-releases"},
	epCreateRelease: {write: true, perm: "contents=write", doc: docsRoot + "/releases/releases#create-a-release"},
	epLatestRelease: {perm: "contents=read", doc: docsRoot + "/releases/releases#get-the-latest-release"},
	epReleaseByTag:  {perm: "contents=read", doc: docsRoot + "/releases/releases#get-a-release-by-tag-name"},
	epGetRelease:    {perm: "contents=read", doc: docsRoot + "/releases/releases#get-a-release"},
	epUpdateRelease: {write: true, perm: "contents=write", doc: docsRoot + "/releases/releases#update-a-release"},
	epDeleteRelease: {write: true, perm: "contents=write", doc: docsRoot + "/releases/releases#delete-a-release"},
	epListAssets:    {perm: "contents=read", doc: docsRoot + "/releases/assets#list-release-assets"},
	epUpload:        {write: true, perm: "contents=write", doc: docsRoot + "/releases/assets#upload-a-release-asset"},
	epGetAsset:      {perm: "contents=read", doc: docsRoot + "/releases/assets#get-a-release-asset"},
	epDeleteAsset:   {write: true, perm: "contents=write", doc: docsRoot + "/releases/assets#delete-a-release-asset"},
	epGetRef:        {perm: "contents=read", doc: docsRoot + "/git/refs#get-a-reference"},
	epListTags:      {perm: "contents=read", doc: docsRoot + "/repos/repos#list-repository-tags"},
	epDownload:      {perm: "contents=read", doc: docsRoot + "/releases/assets#get-a-release-asset"},
	epUpdateAsset:   {write: true, perm: "contents=write", doc: docsRoot + "/releases/assets#update-a-release-asset"},
	epGenerateNotes: {write: true, perm: "contents=write", doc: docsRoot + "/releases/releases#generate-release-notes-content-for-a-release"},
	epMatchingRefs:  {perm: "contents=read", doc: docsRoot + "/git/refs#list-matching-references"},
	epDeleteRef:     {write: true, perm: "contents=write", doc: docsRoot + "/git/refs#delete-a-reference"},
}

// name is the endpoint's documentation anchor, e.g. "create-a-release"; "" for none.
func (e endpoint) name() string {
	doc := endpoints[e].doc
	if i := strings.LastIndexByte(doc, '#'); i >= 0 {
		return doc[i+1:]
	}
	return ""
}

// call is one request being served.
type call struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	rt     route
	reqID  string
	mode   Mode
	fault  *Fault
	rate   rateSnapshot
	status int
	logged bool
}

type rateSnapshot struct {
	limit     int
	used      int
	reset     time.Time
	exhausted bool
}

type reply struct {
	status int
	body   any    // JSON-encoded unless raw is set
	raw    []byte // served as ctype
	ctype  string
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	c := &call{s: s, w: w, r: r, rt: s.router.match(r)}

	s.mu.Lock()
	s.reqSeq++
	c.reqID = requestID(s.reqSeq)
	var token string
	c.mode, token = s.classifyLocked(r)
	c.fault = s.takeFaultLocked(r, c.rt.ep)
	// GET /rate_limit is free, and so are the archive downloads, which are not the API's.
	free := c.rt.ep == epRateLimit || c.rt.ep == epCodeloadTar || c.rt.ep == epCodeloadZip
	c.rate = s.countLocked(c.mode, token, !free)
	s.mu.Unlock()

	defer c.log()

	c.baseHeaders()
	c.tokenHeaders(token)
	if c.fault != nil {
		if done := c.applyFault(); done {
			return
		}
	}
	rp := c.handle()
	if f := c.fault; f != nil {
		switch {
		case f.AfterWork && f.Drop:
			c.drop()
			return
		case f.AfterWork && f.Status != 0:
			c.finish(c.statusFault())
			return
		case f.TruncateBody || f.StallBody:
			c.finishBroken(rp)
			return
		}
	}
	c.finish(rp)
}

// finishBroken writes rp's status and headers and then half its body (TruncateBody, the
// connection then closed) or nothing more until the client or the server gives up (StallBody).
func (c *call) finishBroken(rp reply) {
	data := c.encode(rp)
	c.status = rp.status
	c.w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	c.log()
	c.w.WriteHeader(rp.status)
	if c.fault.TruncateBody {
		_, _ = c.w.Write(data[:len(data)/2])
		if f, ok := c.w.(http.Flusher); ok {
			f.Flush()
		}
		panic(http.ErrAbortHandler) // closes the connection mid-body
	}
	if f, ok := c.w.(http.Flusher); ok {
		f.Flush()
	}
	select {
	case <-c.r.Context().Done():
	case <-c.s.closing:
	}
}

// log records the request once, when its answer is complete: before a dropped connection is
// closed, so that a client that sees the drop finds it in the log.
func (c *call) log() {
	if c.logged {
		return
	}
	c.logged = true
	entry := Request{Method: c.r.Method, Path: c.r.URL.Path, Query: c.r.URL.RawQuery, Endpoint: c.rt.ep.name(),
		Status: c.status, Mode: c.mode, RequestID: c.reqID}
	if c.fault != nil {
		entry.Fault = c.fault.kind()
	}
	c.s.mu.Lock()
	c.s.requests = append(c.s.requests, entry)
	c.s.mu.Unlock()
}

// handle authenticates and routes the request.
func (c *call) handle() reply {
	if c.r.UserAgent() == "" {
		return reply{
			status: http.StatusForbidden,
			ctype:  "text/plain; charset=utf-8",
			raw: []byte("Request forbidden by administrative rules. Please make sure your request has a User-Agent header " +
				"(https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). " +
				"Check https://developer.github.com for other possible causes.\n"),
		}
	}
	if c.mode == ModeBadCredentials {
		return c.apiError(http.StatusUnauthorized, "Bad credentials", docsRoot)
	}
	if c.rate.exhausted {
		return c.primaryLimit(false)
	}
	switch c.rt.ep {
	case epNone:
		return c.apiError(http.StatusNotFound, "Not Found", docsRoot)
	case epRateLimit:
		return c.rateLimitStatus()
	case epCreateRelease, epUpdateRelease, epUpdateAsset, epGenerateNotes:
		body, err := io.ReadAll(io.LimitReader(c.r.Body, maxJSONBody))
		if err != nil {
			return reply{} // the client went away
		}
		switch c.rt.ep {
		case epCreateRelease:
			return c.createRelease(body)
		case epUpdateAsset:
			return c.updateAsset(body)
		case epGenerateNotes:
			return c.generateNotes(body)
		}
		return c.updateRelease(body)
	case epUpload:
		return c.upload()
	case epGetRef, epMatchingRefs, epDeleteRef:
		return c.refs()
	case epTarball, epZipball:
		return c.archiveRedirect()
	case epCodeloadTar, epCodeloadZip:
		return c.codeload()
	}
	if policyEndpoint(c.rt.ep) {
		return c.servePolicy()
	}
	return c.read()
}

// classifyLocked maps the Authorization header to a mode and the token used
// for rate accounting ("" when unauthenticated).
func (s *Server) classifyLocked(r *http.Request) (Mode, string) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return ModeAnonymous, ""
	}
	scheme, tok, ok := strings.Cut(h, " ")
	tok = strings.TrimSpace(tok)
	if !ok || tok == "" || !(strings.EqualFold(scheme, "bearer") || strings.EqualFold(scheme, "token")) {
		return ModeBadCredentials, ""
	}
	m, known := s.tokens[tok]
	if !known || m == ModeBadCredentials {
		return ModeBadCredentials, ""
	}
	if m == ModeAnonymous {
		return ModeAnonymous, ""
	}
	return m, tok
}

// countLocked charges one request to the token's primary rate limit.
func (s *Server) countLocked(m Mode, token string, counted bool) rateSnapshot {
	w := s.rates[token]
	if w == nil {
		w = &rateWindow{}
		s.rates[token] = w
	}
	now := s.now()
	w.roll(now)
	limit := m.rateLimit()
	snap := rateSnapshot{limit: limit, reset: w.reset}
	if counted {
		if w.used >= limit {
			snap.exhausted = true
		} else {
			w.used++
		}
	}
	snap.used = w.used
	return snap
}

func requestID(seq uint64) string {
	x := seq*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
	return fmt.Sprintf("%04X:%04X:%06X:%06X:%08X",
		x>>48&0xFFFF, x>>32&0xFFFF, x>>8&0xFFFFFF, (x^seq<<20)&0xFFFFFF, uint32(seq)+0x65A1B2C3)
}

func (c *call) baseHeaders() {
	h := c.w.Header()
	h.Set("X-GitHub-Request-Id", c.reqID)
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	h.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	c.setRateHeaders(c.rate.limit, c.rate.limit-c.rate.used, c.rate.used, c.rate.reset)
	if scopes, ok := c.mode.oauthScopes(); ok {
		h.Set("X-OAuth-Scopes", scopes)
	}
}

func (c *call) setRateHeaders(limit, remaining, used int, reset time.Time) {
	h := c.w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(remaining, 0)))
	h.Set("X-RateLimit-Used", strconv.Itoa(used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

// applyFault serves the injected fault and reports whether the request is
// done. A latency-only fault, or a starter-asset fault on an upload, lets the
// request continue.
func (c *call) applyFault() bool {
	f := c.fault
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.r.Context().Done():
			return true
		case <-c.s.closing:
			return true
		}
	}
	switch {
	case f.AfterWork || f.TruncateBody || f.StallBody:
		return false // served first; see serve
	case f.Corrupt && c.rt.ep == epUpload:
		return false
	case f.StarterAsset && c.rt.ep == epUpload:
		return false
	case f.StarterAsset || f.Drop:
		c.drop()
		return true
	case f.PrimaryRateLimit:
		c.finish(c.primaryLimit(true))
		return true
	case f.SecondaryRateLimit || f.Status429:
		c.finish(c.secondaryLimit())
		return true
	case f.Status != 0:
		c.finish(c.statusFault())
		return true
	}
	return false
}

// drop reads the request body, then closes the connection without answering.
func (c *call) drop() {
	_, _ = io.Copy(io.Discard, c.r.Body)
	c.status = 0
	hj, ok := c.w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	c.log()
	_ = conn.Close()
}

// primaryLimit answers GitHub's primary rate limit error. fromFault applies
// the fault's status, reset and Retry-After.
func (c *call) primaryLimit(fromFault bool) reply {
	status, reset := http.StatusForbidden, c.rate.reset
	var body string
	if fromFault {
		f := c.fault
		if f.Status429 {
			status = http.StatusTooManyRequests
		}
		if f.ResetIn > 0 {
			reset = c.s.now().Add(f.ResetIn)
		}
		if f.RetryAfter > 0 {
			c.w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
		}
		body = f.Body
	}
	c.setRateHeaders(c.rate.limit, 0, c.rate.limit, reset)
	if body != "" {
		return reply{status: status, raw: []byte(body), ctype: contentTypeFor(body)}
	}
	var who string
	switch {
	case c.mode.integration():
		who = fmt.Sprintf("installation ID %d.", installationID)
	case c.mode == ModeAnonymous || c.mode == ModeBadCredentials:
		who = "127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
	default:
		who = fmt.Sprintf("user ID %d.", userID)
	}
	msg := "API rate limit exceeded for " + who + c.supportSuffix()
	return c.apiError(status, msg, docsRateLimits)
}

func (c *call) secondaryLimit() reply {
	f := c.fault
	status := http.StatusForbidden
	if f.Status429 {
		status = http.StatusTooManyRequests
	}
	if f.RetryAfter > 0 {
		c.w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	if f.ResetIn > 0 {
		c.w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(c.s.now().Add(f.ResetIn).Unix(), 10))
	}
	if f.Body != "" {
		return reply{status: status, raw: []byte(f.Body), ctype: contentTypeFor(f.Body)}
	}
	msg := "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." + c.supportSuffix()
	return c.apiError(status, msg, docsSecondary)
}

func (c *call) statusFault() reply {
	f := c.fault
	if f.RetryAfter > 0 {
		c.w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	if f.Body != "" {
		return reply{status: f.Status, raw: []byte(f.Body), ctype: contentTypeFor(f.Body)}
	}
	if f.Status >= 500 {
		return reply{status: f.Status, body: wireError{Message: "Server Error"}}
	}
	doc := docsRoot
	if info, ok := endpoints[c.rt.ep]; ok {
		doc = info.doc
	}
	if f.Status == http.StatusUnprocessableEntity {
		return c.validationFailed(doc)
	}
	return c.apiError(f.Status, http.StatusText(f.Status), doc)
}

func (c *call) supportSuffix() string {
	return " If you reach out to GitHub Support for help, please include the request ID " + c.reqID + "."
}

func contentTypeFor(body string) string {
	if strings.HasPrefix(strings.TrimSpace(body), "<") {
		return "text/html; charset=utf-8"
	}
	return "application/json; charset=utf-8"
}

// apiError is GitHub's JSON error body: message, documentation_url and status
// as a string.
func (c *call) apiError(status int, msg, doc string) reply {
	return reply{status: status, body: wireError{Message: msg, DocumentationURL: doc, Status: strconv.Itoa(status)}}
}

func (c *call) validationFailed(doc string, errs ...wireFieldError) reply {
	r := c.apiError(http.StatusUnprocessableEntity, "Validation Failed", doc)
	we := r.body.(wireError)
	we.Errors = errs
	r.body = we
	return r
}

// finish writes a reply. The zero reply writes nothing: the client is gone.
func (c *call) finish(rp reply) {
	if rp.status == 0 {
		return
	}
	c.status = rp.status
	data := c.encode(rp)
	if data != nil {
		c.w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	}
	c.log() // before the client can see the answer
	c.w.WriteHeader(rp.status)
	if data != nil && c.r.Method != http.MethodHead {
		_, _ = c.w.Write(data)
	}
}

// encode renders rp's body and sets its Content-Type; nil when it has none.
func (c *call) encode(rp reply) []byte {
	h := c.w.Header()
	switch {
	case rp.raw != nil:
		h.Set("Content-Type", rp.ctype)
		return rp.raw
	case rp.body != nil:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rp.body); err != nil {
			panic(fmt.Sprintf("emulator: encode response: %v", err))
		}
		h.Set("Content-Type", "application/json; charset=utf-8")
		return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	}
	return nil
}

// gateLocked applies the token's mode to a repository-scoped endpoint. It
// returns the repository, or the error GitHub answers. The caller holds s.mu.
func (c *call) gateLocked() (*repo, *reply) {
	info := endpoints[c.rt.ep]
	h := c.w.Header()
	if c.mode.fineGrained() {
		h.Set("X-Accepted-GitHub-Permissions", info.perm)
	}
	if _, classic := c.mode.oauthScopes(); classic {
		h.Set("X-Accepted-OAuth-Scopes", "repo")
	}
	fail := func(rp reply) (*repo, *reply) { return nil, &rp }
	if c.mode == ModeSSORequired {
		h.Set("X-GitHub-SSO", fmt.Sprintf("required; url=https://github.com/orgs/%s/sso?authorization_request=%s",
			url.PathEscape(c.rt.owner), ssoRequest(c.reqID)))
		return fail(c.apiError(http.StatusForbidden,
			"Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.",
			docsSSO))
	}
	rp := c.s.repoLocked(c.rt.owner, c.rt.name)
	public := rp != nil && rp.policy.visibility() == "public"
	switch {
	case rp == nil, !c.mode.canRead() && !(public && c.mode.readsPublic()):
		return fail(c.apiError(http.StatusNotFound, "Not Found", info.doc))
	case info.write && c.mode == ModeAnonymous:
		return fail(c.apiError(http.StatusUnauthorized, "Requires authentication", info.doc))
	case info.write && !c.mode.canRead():
		// A public repository's writes are hidden from a classic token without its scope, like
		// everything of a private one.
		return fail(c.apiError(http.StatusNotFound, "Not Found", info.doc))
	}
	if info.write && !c.mode.canWrite() {
		who := "integration"
		if c.mode == ModePATNoContents {
			who = "personal access token"
		}
		return fail(c.apiError(http.StatusForbidden, "Resource not accessible by "+who, info.doc))
	}
	return rp, nil
}

func ssoRequest(reqID string) string {
	b := []byte(strings.ReplaceAll(reqID, ":", ""))
	slices.Reverse(b)
	return "A" + strings.ToUpper(string(b))
}

func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}
