package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Ruleset is a ruleset of a repository (AddRuleset) or of an organization (AddOrgRuleset).
// Only tag rulesets act (on publishing a release); the others are listed and served.
type Ruleset struct {
	// ID is assigned when 0.
	ID   int64
	Name string
	// Target is "tag" (the default), "branch" or "push".
	Target string
	// Enforcement is "active" (the default), "evaluate" (rules are reported, never enforced)
	// or "disabled".
	Enforcement string
	// Include and Exclude are the ref_name conditions: File.fnmatch patterns with
	// FNM_PATHNAME on full ref names ("refs/tags/v*", "refs/tags/**/*"), or "~ALL" in Include.
	// A ref is covered when an Include pattern matches it and no Exclude pattern does.
	Include, Exclude []string
	// Rules are rule types, any of GitHub's: "creation", "update", "deletion",
	// "non_fast_forward", "max_file_size", …. A tag ruleset with "creation" makes publishing a
	// release on a covered tag that does not exist yet fail with 422 pre_receive.
	Rules []string
	// Bypass are the token modes that may always bypass the ruleset (current_user_can_bypass
	// "always"); Exempt those it does not apply to at all ("exempt"). Everyone else: "never".
	Bypass, Exempt []Mode
}

// ruleset is a Ruleset as the server holds it.
type ruleset struct {
	Ruleset
	sourceType string // "Repository" or "Organization"
	source     string // "owner/name" or the organization's login
	html       string // the ruleset's settings page
	createdAt  time.Time
	include    []*regexp.Regexp
	exclude    []*regexp.Regexp
}

// AddRuleset adds rs to the repository repo (added if missing) and returns it as stored. It
// panics on a target, enforcement or pattern GitHub would refuse.
func (s *Server) AddRuleset(repo string, rs Ruleset) Ruleset {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.addRepoLocked(repo)
	stored := s.newRulesetLocked(rs, "Repository", rp.fullName(),
		s.URL()+"/"+url.PathEscape(rp.owner)+"/"+url.PathEscape(rp.name)+"/rules/")
	rp.policy.rulesets = append(rp.policy.rulesets, stored)
	return stored.Ruleset
}

// AddOrgRuleset adds rs to the organization org: it applies to every repository org owns
// (repository_name ~ALL), and the repository endpoints list it with includes_parents=true
// (the default). It returns the ruleset as stored and panics like AddRuleset.
func (s *Server) AddOrgRuleset(org string, rs Ruleset) Ruleset {
	s.mu.Lock()
	defer s.mu.Unlock()
	stored := s.newRulesetLocked(rs, "Organization", org, s.URL()+"/organizations/"+url.PathEscape(org)+"/settings/rules/")
	if s.policy.orgRulesets == nil {
		s.policy.orgRulesets = map[string][]*ruleset{}
	}
	key := strings.ToLower(org)
	s.policy.orgRulesets[key] = append(s.policy.orgRulesets[key], stored)
	return stored.Ruleset
}

func (s *Server) newRulesetLocked(rs Ruleset, sourceType, source, htmlBase string) *ruleset {
	if rs.ID == 0 {
		rs.ID = s.newID()
	}
	if rs.Target == "" {
		rs.Target = "tag"
	}
	if rs.Enforcement == "" {
		rs.Enforcement = "active"
	}
	if !slices.Contains([]string{"branch", "tag", "push"}, rs.Target) {
		panic(fmt.Sprintf("emulator: ruleset target %q is not branch, tag or push", rs.Target))
	}
	if !slices.Contains([]string{"active", "evaluate", "disabled"}, rs.Enforcement) {
		panic(fmt.Sprintf("emulator: ruleset enforcement %q is not active, evaluate or disabled", rs.Enforcement))
	}
	rs.Include, rs.Exclude, rs.Rules = slices.Clone(rs.Include), slices.Clone(rs.Exclude), slices.Clone(rs.Rules)
	stored := &ruleset{Ruleset: rs, sourceType: sourceType, source: source,
		html: htmlBase + fmt.Sprint(rs.ID), createdAt: s.now().UTC().Truncate(time.Second)}
	for _, p := range rs.Include {
		stored.include = append(stored.include, fnmatchRegexp(p))
	}
	for _, p := range rs.Exclude {
		stored.exclude = append(stored.exclude, fnmatchRegexp(p))
	}
	return stored
}

// rulesetsForLocked are the rulesets that apply to rp: its own and, with parents, those of the
// organization that owns it, by ID.
func (s *Server) rulesetsForLocked(rp *repo, parents bool) []*ruleset {
	out := slices.Clone(rp.policy.rulesets)
	if parents && rp.policy.ownerType() == "Organization" {
		out = append(out, s.policy.orgRulesets[strings.ToLower(rp.owner)]...)
	}
	slices.SortFunc(out, func(a, b *ruleset) int { return int(a.ID - b.ID) })
	return out
}

func (rs *ruleset) hasRule(t string) bool { return slices.Contains(rs.Rules, t) }

// matches reports whether the ruleset's ref_name conditions cover ref.
func (rs *ruleset) matches(ref string) bool {
	in := slices.Contains(rs.Include, "~ALL")
	for _, re := range rs.include {
		in = in || re.MatchString(ref)
	}
	if !in {
		return false
	}
	for _, re := range rs.exclude {
		if re.MatchString(ref) {
			return false
		}
	}
	return true
}

// bypass is current_user_can_bypass for a token of mode m.
func (rs *ruleset) bypass(m Mode) string {
	switch {
	case slices.Contains(rs.Exempt, m):
		return "exempt"
	case slices.Contains(rs.Bypass, m):
		return "always"
	}
	return "never"
}

type wireHref struct {
	Href string `json:"href"`
}

type wireRulesetLinks struct {
	Self wireHref `json:"self"`
	HTML wireHref `json:"html"`
}

// wireRulesetSummary is an item of GET …/rulesets: GitHub lists no target, conditions or rules.
type wireRulesetSummary struct {
	ID          int64            `json:"id"`
	Name        string           `json:"name"`
	SourceType  string           `json:"source_type"`
	Source      string           `json:"source"`
	Enforcement string           `json:"enforcement"`
	NodeID      string           `json:"node_id"`
	Links       wireRulesetLinks `json:"_links"`
	CreatedAt   stamp            `json:"created_at"`
	UpdatedAt   stamp            `json:"updated_at"`
}

type wireRefNameCondition struct {
	Include []string `json:"include"`
	Exclude []string `json:"exclude"`
}

type wireRulesetConditions struct {
	RefName        wireRefNameCondition  `json:"ref_name"`
	RepositoryName *wireRefNameCondition `json:"repository_name,omitempty"`
}

type wireRule struct {
	Type       string         `json:"type"`
	Parameters map[string]any `json:"parameters,omitempty"`
}

// wireRuleset is GET …/rulesets/{id}. bypass_actors is left out: GitHub shows it only to those
// who may edit the ruleset, which no token mode can.
type wireRuleset struct {
	wireRulesetSummary
	Target               string                `json:"target"`
	Conditions           wireRulesetConditions `json:"conditions"`
	Rules                []wireRule            `json:"rules"`
	CurrentUserCanBypass string                `json:"current_user_can_bypass"`
}

// ruleParameters are the parameters GitHub requires of the rule types that have them.
var ruleParameters = map[string]map[string]any{
	"update":        {"update_allows_fetch_and_merge": false},
	"max_file_size": {"max_file_size": 100},
}

func (s *Server) wireRulesetSummary(rp *repo, rs *ruleset) wireRulesetSummary {
	return wireRulesetSummary{
		ID: rs.ID, Name: rs.Name, SourceType: rs.sourceType, Source: rs.source, Enforcement: rs.Enforcement,
		NodeID: nodeID("RRS", rs.ID),
		Links: wireRulesetLinks{
			Self: wireHref{Href: s.repoAPIURL(rp) + "/rulesets/" + fmt.Sprint(rs.ID)},
			HTML: wireHref{Href: rs.html},
		},
		CreatedAt: stamp(rs.createdAt), UpdatedAt: stamp(rs.createdAt),
	}
}

// includesParents reads includes_parents (default true).
func (c *call) includesParents() bool {
	return c.r.URL.Query().Get("includes_parents") != "false"
}

// listRulesetsLocked serves GET …/rulesets?includes_parents=&targets=.
func (c *call) listRulesetsLocked(rp *repo) reply {
	var targets []string
	for _, t := range strings.Split(c.r.URL.Query().Get("targets"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			targets = append(targets, t)
		}
	}
	var shown []*ruleset
	for _, rs := range c.s.rulesetsForLocked(rp, c.includesParents()) {
		if len(targets) == 0 || slices.Contains(targets, rs.Target) {
			shown = append(shown, rs)
		}
	}
	lo, hi := c.paginate(len(shown))
	out := make([]wireRulesetSummary, 0, hi-lo)
	for _, rs := range shown[lo:hi] {
		out = append(out, c.s.wireRulesetSummary(rp, rs))
	}
	return reply{status: http.StatusOK, body: out}
}

// getRulesetLocked serves GET …/rulesets/{id}?includes_parents=.
func (c *call) getRulesetLocked(rp *repo) reply {
	for _, rs := range c.s.rulesetsForLocked(rp, c.includesParents()) {
		if rs.ID != c.rt.id {
			continue
		}
		w := wireRuleset{
			wireRulesetSummary: c.s.wireRulesetSummary(rp, rs),
			Target:             rs.Target,
			Conditions: wireRulesetConditions{RefName: wireRefNameCondition{
				Include: nonNil(rs.Include), Exclude: nonNil(rs.Exclude),
			}},
			Rules:                make([]wireRule, 0, len(rs.Rules)),
			CurrentUserCanBypass: rs.bypass(c.mode),
		}
		if rs.sourceType == "Organization" {
			w.Conditions.RepositoryName = &wireRefNameCondition{Include: []string{"~ALL"}, Exclude: []string{}}
		}
		for _, t := range rs.Rules {
			w.Rules = append(w.Rules, wireRule{Type: t, Parameters: ruleParameters[t]})
		}
		return reply{status: http.StatusOK, body: w}
	}
	return c.apiError(http.StatusNotFound, "Not Found", endpoints[epRuleset].doc)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// MatchRef reports whether ref, a full ref name such as "refs/tags/v1.2.3", matches pattern, a
// ref_name pattern of a ruleset condition, as GitHub matches them: with Ruby's File.fnmatch and
// the FNM_PATHNAME flag. "*" and "?" never match "/"; "**/" at the start of a path segment
// matches any number of directories (elsewhere "**" is "*"); "[...]" is a class of one
// character other than "/", negated by "!" or "^", with ranges; "\" escapes the next
// character; an unclosed "[" is a literal. The whole ref must match. The condition keywords
// "~ALL" and "~DEFAULT_BRANCH" are not patterns: MatchRef matches them literally.
//
// It is the emulator's own implementation, kept apart from the product's on purpose so that
// each can be checked against the other.
func MatchRef(pattern, ref string) bool {
	return fnmatchRegexp(pattern).MatchString(ref)
}

// fnmatchRegexp translates a ref_name pattern into a regular expression the way Ruby's
// File.fnmatch reads it with FNM_PATHNAME, GitHub's documented flag: "*" and "?" never match
// "/", "**/" at the start of a path segment matches any number of directories (elsewhere "**"
// is "*"), "[...]" (negated by "!" or "^") is a class
// of one character other than "/", and "\" escapes. An unclosed "[" is a literal.
func fnmatchRegexp(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`^`)
	for i := 0; i < len(pattern); {
		switch c := pattern[i]; {
		case strings.HasPrefix(pattern[i:], "**/") && (i == 0 || pattern[i-1] == '/'):
			b.WriteString(`(?:[^/]*/)*`)
			i += 3
		case c == '*':
			b.WriteString(`[^/]*`)
			for i < len(pattern) && pattern[i] == '*' {
				i++
			}
		case c == '?':
			b.WriteString(`[^/]`)
			i++
		case c == '[':
			class, n := fnmatchClass(pattern[i:])
			if n == 0 {
				b.WriteString(regexp.QuoteMeta("["))
				i++
				continue
			}
			b.WriteString(class)
			i += n
		case c == '\\' && i+1 < len(pattern):
			r, size := utf8.DecodeRuneInString(pattern[i+1:])
			b.WriteString(regexp.QuoteMeta(string(r)))
			i += 1 + size
		default:
			r, size := utf8.DecodeRuneInString(pattern[i:])
			b.WriteString(regexp.QuoteMeta(string(r)))
			i += size
		}
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}

// fnmatchClass translates the bracket expression at the start of p into a regular expression
// that never matches "/", and returns it with the bytes it spans; n is 0 when p has no closing
// "]".
func fnmatchClass(p string) (class string, n int) {
	i := 1
	negate := i < len(p) && (p[i] == '!' || p[i] == '^')
	if negate {
		i++
	}
	type span struct{ lo, hi rune }
	var spans []span
	first := true
	for i < len(p) {
		if p[i] == ']' && !first {
			break
		}
		first = false
		if p[i] == '\\' && i+1 < len(p) {
			i++
		}
		lo, size := utf8.DecodeRuneInString(p[i:])
		i += size
		hi := lo
		if i+1 < len(p) && p[i] == '-' && p[i+1] != ']' {
			i++
			if p[i] == '\\' && i+1 < len(p) {
				i++
			}
			hi, size = utf8.DecodeRuneInString(p[i:])
			i += size
		}
		if lo <= hi {
			spans = append(spans, span{lo, hi})
		}
	}
	if i >= len(p) {
		return "", 0
	}
	var b strings.Builder
	b.WriteString("[")
	if negate {
		b.WriteString("^/")
	}
	for _, s := range spans {
		// Leave "/" out of a positive class; a negated one excludes it above.
		if !negate && s.lo <= '/' && '/' <= s.hi {
			if s.lo < '/' {
				b.WriteString(classRange(s.lo, '/'-1))
			}
			if s.hi > '/' {
				b.WriteString(classRange('/'+1, s.hi))
			}
			continue
		}
		b.WriteString(classRange(s.lo, s.hi))
	}
	b.WriteString("]")
	if b.String() == "[]" {
		return `[^\x00-\x{10FFFF}]`, i + 1 // a class of nothing (or only "/") matches nothing
	}
	return b.String(), i + 1
}

func classRange(lo, hi rune) string {
	q := func(r rune) string { return fmt.Sprintf(`\x{%x}`, r) }
	if lo == hi {
		return q(lo)
	}
	return q(lo) + "-" + q(hi)
}
