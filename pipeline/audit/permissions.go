package audit

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/release-preflight/release-preflight/pipeline/outcome"
)

// access is what a GITHUB_TOKEN may do with one scope: none, read or write.
type access int

// The levels, in order: write includes read.
const (
	noAccess access = iota
	readAccess
	writeAccess
)

// String is the access as a workflow writes it.
func (l access) String() string {
	switch l {
	case readAccess:
		return "read"
	case writeAccess:
		return "write"
	}
	return "none"
}

// The scopes the rules need.
const (
	scopeContents         = "contents"
	scopeIDToken          = "id-token"
	scopeAttestations     = "attestations"
	scopeArtifactMetadata = "artifact-metadata"
)

// scopes are GitHub's GITHUB_TOKEN scopes, in the order a fix block lists them: those the rules
// need first, then the others alphabetically. A scope not listed (a newer one) sorts last.
var scopes = []string{
	scopeContents, scopeIDToken, scopeAttestations, scopeArtifactMetadata,
	"actions", "checks", "deployments", "discussions", "issues", "models", "packages", "pages",
	"pull-requests", "repository-projects", "security-events", "statuses",
}

// scopeOrder compares two scopes in the order of scopes.
func scopeOrder(a, b string) int {
	ia, ib := slices.Index(scopes, a), slices.Index(scopes, b)
	if ia < 0 {
		ia = len(scopes)
	}
	if ib < 0 {
		ib = len(scopes)
	}
	if ia != ib {
		return ia - ib
	}
	return strings.Compare(a, b)
}

// The shorthand forms of a permissions: key.
const (
	readAll  = "read-all"
	writeAll = "write-all"
)

// block is a permissions: key as a workflow declares it, at workflow or job level.
type block struct {
	line, end int    // the line of the permissions: key and the last line of its value
	col       int    // the column of the key
	all       string // readAll or writeAll; "" for a mapping ({} included)
	entries   []entry
}

// entry is one scope of a block.
type entry struct {
	scope string
	level access
}

// level is what the block grants scope: a block sets every scope it does not name to none.
func (b *block) level(scope string) access {
	switch b.all {
	case writeAll:
		return writeAccess
	case readAll:
		if scope == scopeIDToken { // id-token has no read level
			return noAccess
		}
		return readAccess
	}
	for _, e := range b.entries {
		if e.scope == scope {
			return e.level
		}
	}
	return noAccess
}

// declared is the block as written: ["read-all"], or its scopes as "contents: write"; empty
// for {}.
func (b *block) declared() []string {
	if b.all != "" {
		return []string{b.all}
	}
	out := make([]string, 0, len(b.entries))
	for _, e := range b.entries {
		out = append(out, e.scope+": "+e.level.String())
	}
	return out
}

// grants lists, in scope order, every scope the block grants above none.
func (b *block) grants() []entry {
	var out []entry
	switch b.all {
	case writeAll, readAll:
		for _, s := range scopes {
			if l := b.level(s); l > noAccess {
				out = append(out, entry{s, l})
			}
		}
	default:
		for _, e := range b.entries {
			if e.level > noAccess {
				out = append(out, e)
			}
		}
		slices.SortFunc(out, func(a, b entry) int { return scopeOrder(a.scope, b.scope) })
	}
	return out
}

// parseBlock reads the permissions: key of file whose key and value nodes are given. GitHub
// refuses a workflow whose block holds a level other than read, write or none, or a shorthand
// other than read-all and write-all; so does the audit, as invalid input naming the line.
func parseBlock(file string, key, val *yaml.Node) (*block, error) {
	val = resolve(val)
	b := &block{line: key.Line, end: max(key.Line, val.Line), col: key.Column}
	switch val.Kind {
	case yaml.ScalarNode:
		switch v := strings.TrimSpace(val.Value); v {
		case readAll, writeAll:
			b.all = v
			return b, nil
		default:
			return nil, invalidWorkflow(file, val.Line, fmt.Sprintf("permissions: %s is not read-all, write-all or a mapping of scopes", outcome.Quote(v)),
				"Write `permissions: read-all`, `permissions: write-all`, `permissions: {}` or a mapping such as `contents: write`.")
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(val.Content); i += 2 {
			k, v := resolve(val.Content[i]), resolve(val.Content[i+1])
			level, ok := parseLevel(v)
			if !ok || k.Kind != yaml.ScalarNode {
				return nil, invalidWorkflow(file, v.Line, fmt.Sprintf("permission %s: %s is not read, write or none", outcome.Quote(k.Value), outcome.Quote(v.Value)),
					"Give each scope read, write or none.")
			}
			b.entries = append(b.entries, entry{scope: k.Value, level: level})
			b.end = max(b.end, k.Line, v.Line)
		}
		return b, nil
	}
	return nil, invalidWorkflow(file, val.Line, "permissions: is neither read-all, write-all nor a mapping of scopes",
		"Write `permissions: read-all`, `permissions: write-all`, `permissions: {}` or a mapping such as `contents: write`.")
}

// parseLevel reads a scope's level.
func parseLevel(n *yaml.Node) (access, bool) {
	if n.Kind != yaml.ScalarNode {
		return noAccess, false
	}
	switch strings.TrimSpace(n.Value) {
	case "none":
		return noAccess, true
	case "read":
		return readAccess, true
	case "write":
		return writeAccess, true
	}
	return noAccess, false
}

// invalidWorkflow is the error of a workflow GitHub would refuse: file and line, the problem,
// the fix.
func invalidWorkflow(file string, line int, problem, fix string) *outcome.Error {
	return outcome.Invalid("read the workflows", "source", fmt.Sprintf("%s:%d: %s", file, line, problem), fix)
}
