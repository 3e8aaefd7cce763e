package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzSanitizeAssetName(f *testing.F) {
	for _, s := range []string{"app.tar.gz", "my app (1).zip", ".env", "a..b", "x.", "ü.zip", "", "...", "SHA256SUMS"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := sanitizeAssetName(name)
		if again := sanitizeAssetName(got); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", name, got, again)
		}
		if strings.Contains(got, "..") || strings.HasSuffix(got, ".") || strings.HasPrefix(got, ".") {
			t.Fatalf("bad dots in %q (from %q)", got, name)
		}
		for _, r := range got {
			if r >= utf8.RuneSelf || !(r == '.' || r == '-' || r == '_' || r == '+' ||
				r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				t.Fatalf("unexpected rune %q in %q", r, got)
			}
		}
	})
}

func FuzzValidTagName(f *testing.F) {
	for _, s := range []string{"v1.0.0", "release/v1", "v 1", "a..b", "x.lock", "@", "preflight-permcheck-run1-attempt1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		if !validTagName(tag) {
			return
		}
		if tag == "" || strings.ContainsAny(tag, " ~^:?*[\\") || strings.Contains(tag, "..") {
			t.Fatalf("accepted invalid tag %q", tag)
		}
	})
}

func FuzzMatch(f *testing.F) {
	for _, p := range []string{
		"/repos/o/r/releases", "/repos/o/r/releases/12/assets", "/repos/o/r/releases/tags/a/b",
		"/repos/o/r/git/ref/tags/v1", "/o/r/releases/download/v1/a.zip", "/api/v3/rate_limit", "/repos//x", "/%zz",
		"/o//releases/download/v1/a.zip", "/o/r/releases/download//a.zip",
	} {
		f.Add("GET", p)
		f.Add("POST", p)
	}
	routers := []*router{newRouter("/", "/"), newRouter("/api/v3/", "/api/uploads/")}
	f.Fuzz(func(t *testing.T, method, path string) {
		u, err := url.Parse(path)
		if err != nil {
			return
		}
		r := &http.Request{Method: method, URL: u}
		for _, rtr := range routers {
			rt := rtr.match(r)
			if rt.ep == epNone {
				continue
			}
			if rt.ep != epRateLimit && (rt.owner == "" || rt.name == "") {
				t.Fatalf("%s %q matched %v without a repository", method, path, rt.ep)
			}
			if rt.ep == epDownload && (rt.tag == "" || rt.assetName == "") {
				t.Fatalf("%s %q matched a download without a tag or an asset name", method, path)
			}
		}
	})
}

func FuzzDecodeBody(f *testing.F) {
	for _, s := range []string{`{"tag_name":"v1"}`, `{"tag_name":null,"draft":"x"}`, `{"make_latest":"legacy","body":{"a":[1,{"b":null}]}}`,
		`[]`, `{`, ``, `{"name":"\u00e4\n"}`, `{"tag_name":1e400}`} {
		f.Add(s)
	}
	schemas := []bodySchema{createReleaseBody, updateReleaseBody, updateAssetBody, generateNotesBody}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, sc := range schemas {
			b, bad := (&call{}).decodeBody([]byte(raw), sc, "doc")
			if bad != nil {
				if bad.status != http.StatusBadRequest && bad.status != http.StatusUnprocessableEntity {
					t.Fatalf("%q answered %d", raw, bad.status)
				}
				continue
			}
			for _, k := range sc.required {
				if _, ok := b[k]; !ok {
					t.Fatalf("%q accepted without %s", raw, k)
				}
			}
			for k, v := range b {
				p, known := sc.props[k]
				_, isBool := v.(bool)
				s, isString := v.(string)
				switch {
				case !known:
					t.Fatalf("%q kept unknown property %s", raw, k)
				case p.kind == kindBool && !isBool, p.kind == kindString && !isString:
					t.Fatalf("%q: %s has the wrong type", raw, k)
				case p.enum != nil && !slices.Contains(p.enum, s):
					t.Fatalf("%q: %s outside its enum", raw, k)
				}
			}
		}
	})
}
