//go:build ignore

// Command subset extracts, from GitHub's full OpenAPI description (as shipped
// in the npm package @octokit/openapi, e.g. generated/api.github.com.json),
// only the operations release-preflight talks to, plus every component they
// reference transitively, and writes a compact, deterministic JSON document.
//
//	go run subset.go -in api.github.com.json -out api.github.com.releases.json \
//	    -pkg @octokit/openapi -pkg-version 23.0.2
//
// regenerate.sh, next to it, fetches the pinned package and runs it; it is
// the one command that rewrites internal/conformance/api.github.com.releases.json.
//
// Standard library only. The output has sorted keys (encoding/json sorts map
// keys), no HTML escaping, numbers copied verbatim (json.Number), and a
// trailing newline, so the same input always gives byte-identical output.
//
// What is kept: openapi, info (plus an x-subset-of note naming the source
// package, version and file), servers, the selected paths with only the
// selected methods (path-level parameters/servers/summary/description are
// kept too), and the reachable parts of components (schemas, parameters,
// responses, headers, examples, requestBodies, ... — whatever a $ref or a
// discriminator mapping reaches). Specification extensions (x-*) are dropped
// from OpenAPI objects, except those listed in -keep-ext. The defaults are
// x-multi-segment, which marks path parameters such as {ref} and {tag} that
// may contain "/" (a router needs to know that), and
// x-github-breaking-changes, which describes how a schema changes under a
// newer X-GitHub-Api-Version (e.g. 2026-03-10 drops rate-limit-overview.rate);
// validators ignore both. Example values, defaults and enums are copied
// untouched.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// defaultOps lists the operations release-preflight needs, as "METHOD path"
// exactly as GitHub documents the path.
var defaultOps = []string{
	"GET /rate_limit",
	"GET /repos/{owner}/{repo}",
	"GET /repos/{owner}/{repo}/releases",
	"POST /repos/{owner}/{repo}/releases",
	"GET /repos/{owner}/{repo}/releases/latest",
	"GET /repos/{owner}/{repo}/releases/tags/{tag}",
	"GET /repos/{owner}/{repo}/releases/{release_id}",
	"PATCH /repos/{owner}/{repo}/releases/{release_id}",
	"DELETE /repos/{owner}/{repo}/releases/{release_id}",
	"GET /repos/{owner}/{repo}/releases/{release_id}/assets",
	"POST /repos/{owner}/{repo}/releases/{release_id}/assets",
	"GET /repos/{owner}/{repo}/releases/assets/{asset_id}",
	"PATCH /repos/{owner}/{repo}/releases/assets/{asset_id}",
	"DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}",
	"POST /repos/{owner}/{repo}/releases/generate-notes",
	"GET /repos/{owner}/{repo}/git/ref/{ref}",
	"GET /repos/{owner}/{repo}/git/matching-refs/{ref}",
	"DELETE /repos/{owner}/{repo}/git/refs/{ref}",
	"GET /repos/{owner}/{repo}/git/tags/{tag_sha}",
	"GET /repos/{owner}/{repo}/tags",
	"GET /repos/{owner}/{repo}/rulesets",
	"GET /repos/{owner}/{repo}/rulesets/{ruleset_id}",
	"GET /repos/{owner}/{repo}/rules/branches/{branch}",
	"GET /repos/{owner}/{repo}/immutable-releases",
	"PUT /repos/{owner}/{repo}/immutable-releases",
	"DELETE /repos/{owner}/{repo}/immutable-releases",
	"GET /repos/{owner}/{repo}/commits/{ref}",
	"GET /repos/{owner}/{repo}/tarball/{ref}",
	"GET /repos/{owner}/{repo}/zipball/{ref}",
}

var httpMethods = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true,
	"options": true, "head": true, "patch": true, "trace": true,
}

// nameMapKeys are keys whose value is a map from user-chosen names (property
// names, header names, media types, status codes, ...) to OpenAPI objects.
// Extension stripping must not touch the names themselves (a header may well
// be called "x-ratelimit-limit").
var nameMapKeys = map[string]bool{
	"properties": true, "patternProperties": true, "definitions": true,
	"headers": true, "content": true, "examples": true, "responses": true,
	"encoding": true, "links": true, "callbacks": true, "variables": true,
	"schemas": true, "parameters": true, "requestBodies": true,
	"securitySchemes": true, "pathItems": true, "$defs": true,
	"dependentSchemas": true,
}

// literalKeys hold plain JSON data, not OpenAPI objects: copied verbatim and
// never searched for $ref.
var literalKeys = map[string]bool{
	"example": true, "default": true, "enum": true, "const": true, "value": true,
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func main() {
	var (
		in           = flag.String("in", "", "full OpenAPI JSON (e.g. node_modules/@octokit/openapi/generated/api.github.com.json)")
		out          = flag.String("out", "", "subset JSON to write (\"-\" for stdout)")
		pkg          = flag.String("pkg", "@octokit/openapi", "npm package the input came from (recorded in info)")
		pkgVersion   = flag.String("pkg-version", "", "version of that package (default: the input's info.version)")
		sourceFile   = flag.String("source-file", "", "file inside the package (default: generated/<basename of -in>)")
		keepExt      = flag.String("keep-ext", "x-multi-segment,x-github-breaking-changes", "comma-separated x-* extensions to keep")
		onlyDefault  = flag.Bool("no-default-ops", false, "do not include the built-in operation list")
		allowMissing = flag.Bool("allow-missing", false, "warn instead of failing when a requested operation is absent")
		dropExamples = flag.Bool("drop-examples", false, "drop example/examples (smaller output, nothing to replay in tests)")
		indent       = flag.Bool("indent", false, "indent the output (default: compact)")
		extra        multiFlag
	)
	flag.Var(&extra, "op", "extra operation \"METHOD /path\" to include (repeatable)")
	flag.Parse()
	if *in == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	ops := append([]string(nil), extra...)
	if !*onlyDefault {
		ops = append(append([]string(nil), defaultOps...), extra...)
	}
	keep := map[string]bool{}
	for _, k := range strings.Split(*keepExt, ",") {
		if k = strings.TrimSpace(k); k != "" {
			keep[k] = true
		}
	}
	src := *sourceFile
	if src == "" {
		src = "generated/" + filepath.Base(*in)
	}
	cfg := config{
		ops: ops, keepExt: keep, allowMissing: *allowMissing, dropExamples: *dropExamples,
		pkg: *pkg, pkgVersion: *pkgVersion, sourceFile: src,
	}
	if err := run(*in, *out, *indent, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "subset:", err)
		os.Exit(1)
	}
}

type config struct {
	ops                        []string
	keepExt                    map[string]bool
	allowMissing, dropExamples bool
	pkg, pkgVersion            string
	sourceFile                 string
}

func run(in, out string, indent bool, cfg config) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var full map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&full); err != nil {
		return fmt.Errorf("parse %s: %w", in, err)
	}
	doc, err := subset(full, cfg)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", " ")
	}
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if out == "-" {
		_, err = os.Stdout.Write(buf.Bytes())
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

func subset(full map[string]any, cfg config) (map[string]any, error) {
	paths, _ := full["paths"].(map[string]any)
	if paths == nil {
		return nil, errors.New("input has no paths")
	}
	components, _ := full["components"].(map[string]any)

	// 1. Selected paths, only selected methods.
	outPaths := map[string]any{}
	seen := map[string]bool{}
	var missing []string
	for _, op := range cfg.ops {
		method, path, ok := strings.Cut(strings.TrimSpace(op), " ")
		if !ok {
			return nil, fmt.Errorf("bad operation %q: want \"METHOD /path\"", op)
		}
		method, path = strings.ToLower(method), strings.TrimSpace(path)
		if !httpMethods[method] {
			return nil, fmt.Errorf("bad method in %q", op)
		}
		key := method + " " + path
		if seen[key] {
			continue
		}
		seen[key] = true
		item, _ := paths[path].(map[string]any)
		opObj, found := item[method]
		if !found {
			missing = append(missing, strings.ToUpper(method)+" "+path)
			continue
		}
		dst, _ := outPaths[path].(map[string]any)
		if dst == nil {
			dst = map[string]any{}
			// Path-level fields that apply to every operation under it.
			for k, v := range item {
				if !httpMethods[k] && !strings.HasPrefix(k, "x-") {
					dst[k] = v
				}
			}
			outPaths[path] = dst
		}
		dst[method] = opObj
	}
	if len(missing) > 0 {
		msg := "operations not in the input: " + strings.Join(missing, "; ")
		if !cfg.allowMissing {
			return nil, errors.New(msg)
		}
		fmt.Fprintln(os.Stderr, "subset: warning:", msg)
	}

	// 2. Clean the selected paths (drop extensions, optionally examples),
	// then collect reachable components to a fixed point.
	p := &pruner{keepExt: cfg.keepExt, dropExamples: cfg.dropExamples}
	cleanPaths := p.clean(outPaths, true).(map[string]any)

	outComponents := map[string]any{}
	queue := []string{}
	p.collectRefs(cleanPaths, true, &queue)
	done := map[string]bool{}
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		if done[ref] {
			continue
		}
		done[ref] = true
		kind, name, err := splitComponentRef(ref)
		if err != nil {
			return nil, err
		}
		group, _ := components[kind].(map[string]any)
		target, ok := group[name]
		if !ok {
			return nil, fmt.Errorf("unresolved $ref %q", ref)
		}
		cleaned := p.clean(target, false)
		dstGroup, _ := outComponents[kind].(map[string]any)
		if dstGroup == nil {
			dstGroup = map[string]any{}
			outComponents[kind] = dstGroup
		}
		dstGroup[name] = cleaned
		p.collectRefs(cleaned, false, &queue)
	}

	// 3. Assemble.
	doc := map[string]any{
		"openapi": full["openapi"],
		"paths":   cleanPaths,
	}
	if s, ok := full["servers"]; ok {
		doc["servers"] = s
	}
	if len(outComponents) > 0 {
		doc["components"] = outComponents
	}
	info := map[string]any{}
	if src, ok := full["info"].(map[string]any); ok {
		for k, v := range src {
			if !strings.HasPrefix(k, "x-") || cfg.keepExt[k] {
				info[k] = v
			}
		}
	}
	version := cfg.pkgVersion
	if version == "" {
		version = fmt.Sprint(info["version"])
	}
	nOps := 0
	for _, item := range cleanPaths {
		for k := range item.(map[string]any) {
			if httpMethods[k] {
				nOps++
			}
		}
	}
	info["x-subset-of"] = map[string]any{
		"package":    cfg.pkg,
		"version":    version,
		"file":       cfg.sourceFile,
		"operations": nOps,
		"generator":  "subset.go (release-preflight); do not edit by hand, run regenerate.sh",
	}
	desc, _ := info["description"].(string)
	info["description"] = fmt.Sprintf("Subset of %s@%s %s: only the operations release-preflight uses and the components they reach. %s",
		cfg.pkg, version, cfg.sourceFile, desc)
	doc["info"] = info
	return doc, nil
}

// splitComponentRef turns "#/components/schemas/foo" into ("schemas", "foo").
// Deeper pointers ("#/components/schemas/foo/properties/bar") keep the whole
// component "foo".
func splitComponentRef(ref string) (kind, name string, err error) {
	const prefix = "#/components/"
	if !strings.HasPrefix(ref, prefix) {
		return "", "", fmt.Errorf("unsupported $ref %q (only local #/components/... refs are handled)", ref)
	}
	parts := strings.Split(strings.TrimPrefix(ref, prefix), "/")
	if len(parts) < 2 {
		return "", "", fmt.Errorf("bad $ref %q", ref)
	}
	unescape := strings.NewReplacer("~1", "/", "~0", "~")
	return unescape.Replace(parts[0]), unescape.Replace(parts[1]), nil
}

type pruner struct {
	keepExt      map[string]bool
	dropExamples bool
}

// clean returns a deep copy of v with extensions removed from OpenAPI objects.
// nameMap says whether v is a map of user-chosen names (whose keys must be
// kept as they are) rather than an OpenAPI object.
func (p *pruner) clean(v any, nameMap bool) any {
	switch t := v.(type) {
	case map[string]any:
		o := make(map[string]any, len(t))
		for k, val := range t {
			if nameMap {
				o[k] = p.clean(val, false)
				continue
			}
			if strings.HasPrefix(k, "x-") && !p.keepExt[k] {
				continue
			}
			if p.dropExamples && (k == "example" || k == "examples") {
				// "examples" is a name map in media types/parameters, an
				// array in JSON Schema; either way it is documentation.
				continue
			}
			switch {
			case literalKeys[k]:
				o[k] = val
			case nameMapKeys[k]:
				if _, isMap := val.(map[string]any); isMap {
					o[k] = p.clean(val, true)
				} else {
					o[k] = p.clean(val, false) // e.g. an array of parameters
				}
			default:
				o[k] = p.clean(val, false)
			}
		}
		return o
	case []any:
		o := make([]any, len(t))
		for i, val := range t {
			o[i] = p.clean(val, false)
		}
		return o
	default:
		return v
	}
}

// collectRefs appends every $ref (and discriminator mapping target) found in
// v to queue, skipping literal example/default/enum data. nameMap has the same
// meaning as for clean (so a property or response called "default" or "value"
// is still searched). Keys are visited in sorted order so the walk, and any
// error message, is deterministic.
func (p *pruner) collectRefs(v any, nameMap bool, queue *[]string) {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if nameMap {
			for _, k := range keys {
				p.collectRefs(t[k], false, queue)
			}
			return
		}
		if ref, ok := t["$ref"].(string); ok {
			*queue = append(*queue, ref)
		}
		for _, k := range keys {
			val := t[k]
			switch {
			case literalKeys[k]:
			case k == "discriminator":
				d, _ := val.(map[string]any)
				m, _ := d["mapping"].(map[string]any)
				mk := make([]string, 0, len(m))
				for name := range m {
					mk = append(mk, name)
				}
				sort.Strings(mk)
				for _, name := range mk {
					if s, ok := m[name].(string); ok && strings.HasPrefix(s, "#/") {
						*queue = append(*queue, s)
					}
				}
			case nameMapKeys[k]:
				_, isMap := val.(map[string]any)
				p.collectRefs(val, isMap, queue)
			default:
				p.collectRefs(val, false, queue)
			}
		}
	case []any:
		for _, val := range t {
			p.collectRefs(val, false, queue)
		}
	}
}
