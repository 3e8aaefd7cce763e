package checks

import (
	"strings"
	"unicode/utf8"
)

// Special ref_name patterns of a ruleset's conditions.
const (
	allRefs       = "~ALL"            // every ref of the ruleset's target
	defaultBranch = "~DEFAULT_BRANCH" // the default branch: never a tag
)

// refCovered reports whether ref_name conditions with include and exclude patterns cover ref:
// an include pattern matches it (or is ~ALL) and no exclude pattern does.
func refCovered(include, exclude []string, ref string) bool {
	in := false
	for _, p := range include {
		if p == allRefs || (p != defaultBranch && fnmatch(p, ref)) {
			in = true
			break
		}
	}
	if !in {
		return false
	}
	for _, p := range exclude {
		if p == allRefs || (p != defaultBranch && fnmatch(p, ref)) {
			return false
		}
	}
	return true
}

// fnmatch reports whether name matches pattern as Ruby's File.fnmatch does with FNM_PATHNAME,
// the flag GitHub documents for ruleset patterns: "*" matches any run of characters but "/",
// "?" one character but "/", "[...]" one character of a class (negated by "!" or "^", never
// "/"), "\" escapes the next character, and "**/" at the start of a path segment matches zero
// or more whole segments (elsewhere "**" is "*"). An unclosed "[" is a literal. Patterns are
// matched against the full ref name, such as refs/tags/v1.2.3.
//
// It runs in time proportional to len(pattern)·len(name)², whatever the pattern.
func fnmatch(pattern, name string) bool {
	m := matcher{p: pattern, s: name, memo: make(map[[2]int]bool)}
	return m.match(0, 0)
}

type matcher struct {
	p, s string
	memo map[[2]int]bool // (pattern index, name index) -> result
}

func (m *matcher) match(pi, si int) bool {
	key := [2]int{pi, si}
	if v, ok := m.memo[key]; ok {
		return v
	}
	v := m.step(pi, si)
	m.memo[key] = v
	return v
}

// step matches m.p[pi:] against m.s[si:].
func (m *matcher) step(pi, si int) bool {
	p, s := m.p, m.s
	if pi == len(p) {
		return si == len(s)
	}
	segmentStart := pi == 0 || p[pi-1] == '/'
	switch {
	case segmentStart && strings.HasPrefix(p[pi:], "**/"):
		// Zero or more whole segments of the name, each ending in "/".
		if m.match(pi+3, si) {
			return true
		}
		for i := si; i < len(s); i++ {
			if s[i] == '/' && m.match(pi+3, i+1) {
				return true
			}
		}
		return false
	case p[pi] == '*':
		next := pi
		for next < len(p) && p[next] == '*' {
			next++
		}
		for i := si; ; i++ {
			if m.match(next, i) {
				return true
			}
			if i == len(s) || s[i] == '/' {
				return false
			}
		}
	}
	if si == len(s) {
		return false
	}
	r, size := utf8.DecodeRuneInString(s[si:])
	switch {
	case p[pi] == '?':
		return r != '/' && m.match(pi+1, si+size)
	case p[pi] == '[':
		if ok, n, closed := classMatch(p[pi:], r); closed {
			return ok && r != '/' && m.match(pi+n, si+size)
		}
	case p[pi] == '\\' && pi+1 < len(p):
		pr, psize := utf8.DecodeRuneInString(p[pi+1:])
		return pr == r && m.match(pi+1+psize, si+size)
	}
	pr, psize := utf8.DecodeRuneInString(p[pi:])
	return pr == r && m.match(pi+psize, si+size)
}

// classMatch matches r against the bracket expression at the start of p and returns whether it
// matched, how many bytes the expression spans and whether it is closed at all.
func classMatch(p string, r rune) (ok bool, n int, closed bool) {
	i := 1
	negate := i < len(p) && (p[i] == '!' || p[i] == '^')
	if negate {
		i++
	}
	first := true
	for i < len(p) {
		if p[i] == ']' && !first {
			return ok != negate, i + 1, true
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
		if lo <= r && r <= hi {
			ok = true
		}
	}
	return false, 0, false
}
