package checks

// tokenCheck warns when the token expires before the run ends. It reads what the other
// requests' answers said of the token.
var tokenCheck = check{
	name:   "token-expiry",
	decide: (*Result).token,
}

// token warns when the token expires before the run is expected to end.
func (r *Result) token() result {
	f := r.found
	if f.tokenExpiry.IsZero() {
		if f.badExpiry != "" {
			return skipped("", "", "GitHub sent a token expiry that cannot be read (%q)", f.badExpiry)
		}
		return skipped("", "", "GitHub sent no expiry for this token (it does for personal access tokens that expire; "+
			"a GITHUB_TOKEN lasts as long as its job)")
	}
	at := f.tokenExpiry
	left := at.Sub(r.now)
	if at.Before(r.now.Add(r.in.RunTime)) {
		return warn("Use a token that outlives the run, or renew it before releasing.",
			"the token expires at %s (in %s), before the run is expected to end (in %s)", clock(at), roughly(max(left, 0)), r.in.RunTime)
	}
	return ok("the token expires at %s (in %s), after the run is expected to end (in %s)", clock(at), roughly(left), r.in.RunTime)
}
