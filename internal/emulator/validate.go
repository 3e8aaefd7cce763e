package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxBodyChars is the longest release body GitHub accepts, in characters.
const maxBodyChars = 125000

// propKind is the JSON type of a request body property.
type propKind int

const (
	kindString propKind = iota
	kindBool
)

// prop is one property of a request body schema.
type prop struct {
	kind propKind
	enum []string // for a string: the values allowed
}

// bodySchema is the JSON schema of a request body as GitHub's OpenAPI
// description gives it. Properties it does not name are ignored, as GitHub
// ignores them.
type bodySchema struct {
	required []string
	props    map[string]prop
	// optional: an empty body stands for {} (requestBody.required is false).
	optional bool
}

var (
	makeLatest = prop{kind: kindString, enum: []string{"true", "false", "legacy"}}

	createReleaseBody = bodySchema{required: []string{"tag_name"}, props: map[string]prop{
		"tag_name": {}, "target_commitish": {}, "name": {}, "body": {}, "discussion_category_name": {},
		"draft": {kind: kindBool}, "prerelease": {kind: kindBool}, "generate_release_notes": {kind: kindBool},
		"make_latest": makeLatest,
	}}
	updateReleaseBody = bodySchema{props: map[string]prop{
		"tag_name": {}, "target_commitish": {}, "name": {}, "body": {}, "discussion_category_name": {},
		"draft": {kind: kindBool}, "prerelease": {kind: kindBool},
		"make_latest": makeLatest,
	}}
	updateAssetBody = bodySchema{optional: true, props: map[string]prop{
		"name": {}, "label": {}, "state": {},
	}}
	generateNotesBody = bodySchema{required: []string{"tag_name"}, props: map[string]prop{
		"tag_name": {}, "target_commitish": {}, "previous_tag_name": {}, "configuration_file_path": {},
	}}
)

// body is a validated request body: the properties of the schema that were
// given, as string or bool.
type body map[string]any

func (b body) str(key string) *string {
	if v, ok := b[key].(string); ok {
		return &v
	}
	return nil
}

func (b body) boolean(key string) *bool {
	if v, ok := b[key].(bool); ok {
		return &v
	}
	return nil
}

// decodeBody validates raw against sc the way GitHub's schema validation
// does: 400 "Problems parsing JSON" for what is not JSON, 400 "Body should be
// a JSON object" for JSON that is not an object, and 422 "Invalid request."
// listing every missing required property and every property of the wrong
// type or outside its enum — null included, which is no string.
func (c *call) decodeBody(raw []byte, sc bodySchema, doc string) (body, *reply) {
	if sc.optional && len(bytes.TrimSpace(raw)) == 0 {
		raw = []byte("{}")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		msg := "Problems parsing JSON"
		if json.Valid(raw) {
			msg = "Body should be a JSON object"
		}
		rp := c.apiError(http.StatusBadRequest, msg, doc)
		return nil, &rp
	}
	var problems []string
	for _, k := range sc.required {
		if _, ok := m[k]; !ok {
			problems = append(problems, strconv.Quote(k)+" wasn't supplied.")
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		if _, known := sc.props[k]; known {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := body{}
	for _, k := range keys {
		p, v := sc.props[k], m[k]
		switch p.kind {
		case kindBool:
			var b bool
			if json.Unmarshal(v, &b) != nil || isNull(v) {
				problems = append(problems, fmt.Sprintf("For 'properties/%s', %s is not a boolean.", k, inspect(v)))
				continue
			}
			out[k] = b
		case kindString:
			var s string
			if json.Unmarshal(v, &s) != nil || isNull(v) {
				problems = append(problems, fmt.Sprintf("For 'properties/%s', %s is not a string.", k, inspect(v)))
				continue
			}
			if p.enum != nil && !slices.Contains(p.enum, s) {
				problems = append(problems, fmt.Sprintf("For 'properties/%s', %s is not a member of %s.", k, s, inspectStrings(p.enum)))
				continue
			}
			out[k] = s
		}
	}
	if len(problems) > 0 {
		rp := c.apiError(http.StatusUnprocessableEntity, "Invalid request.\n\n"+strings.Join(problems, "\n"), doc)
		return nil, &rp
	}
	return out, nil
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// inspect renders a JSON value the way GitHub's messages show it (Ruby's
// inspect): nil, "text", 1, true, ["a", 1], {"k" => "v"}.
func inspect(v json.RawMessage) string {
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	var b strings.Builder
	if err := inspectValue(dec, &b); err != nil {
		return string(v)
	}
	return b.String()
}

func inspectValue(dec *json.Decoder, b *strings.Builder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case nil:
		b.WriteString("nil")
	case string:
		b.WriteString(strconv.Quote(t))
	case json.Number:
		b.WriteString(t.String())
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case json.Delim:
		closing, sep := "]", ""
		if t == '{' {
			closing = "}"
		}
		b.WriteString(t.String())
		for dec.More() {
			b.WriteString(sep)
			sep = ", "
			if t == '{' {
				key, err := dec.Token()
				if err != nil {
					return err
				}
				b.WriteString(strconv.Quote(fmt.Sprint(key)) + " => ")
			}
			if err := inspectValue(dec, b); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
		b.WriteString(closing)
	}
	return nil
}

func inspectStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// decodeReleaseFields validates the body of create (sc createReleaseBody) or
// update (updateReleaseBody): the schema first, then what GitHub validates on
// the release itself — the tag name's git rules and the body's length —
// answered as 422 Validation Failed.
func (c *call) decodeReleaseFields(raw []byte, sc bodySchema, doc string) (releaseFields, *reply) {
	b, bad := c.decodeBody(raw, sc, doc)
	if bad != nil {
		return releaseFields{}, bad
	}
	f := releaseFields{
		tagName: b.str("tag_name"), target: b.str("target_commitish"), name: b.str("name"), body: b.str("body"),
		makeLatest: b.str("make_latest"), draft: b.boolean("draft"), prerelease: b.boolean("prerelease"),
		generateNotes: b.boolean("generate_release_notes"),
	}
	var errs []wireFieldError
	if f.tagName != nil && !validTagName(*f.tagName) {
		errs = append(errs, wireFieldError{Resource: "Release", Code: "invalid", Field: "tag_name"})
	}
	if f.body != nil && utf8.RuneCountInString(*f.body) > maxBodyChars {
		errs = append(errs, wireFieldError{Resource: "Release", Code: "custom", Field: "body",
			Message: fmt.Sprintf("body is too long (maximum is %d characters)", maxBodyChars)})
	}
	if len(errs) > 0 {
		rp := c.validationFailed(doc, errs...)
		return f, &rp
	}
	return f, nil
}
