package report_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/release-preflight/release-preflight/pipeline/report"
)

// fill sets every exported string reachable from v to s, giving every slice one element and
// every pointer a value, so that a report holds s in every field it has, at every depth.
func fill(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				fill(f, s)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), s)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), s)
	}
}

// Redact reaches every string of a report, whatever field it is in (the checks' messages and
// fixes, findings, the diagnosis, assets…), and every rendering of the redacted report is free of
// the secret in all its forms, while the report it was made from keeps its own text.
func TestRedactReachesEveryField(t *testing.T) {
	t.Parallel()
	const token = "ghs_redactEveryFieldTOKEN0123456789ab"
	tests := []struct {
		name    string
		value   string
		secrets []string
	}{
		{name: "the token itself", value: "before " + token + " after", secrets: []string{token}},
		{name: "the token without its prefix", value: "echo " + strings.TrimPrefix(token, "ghs_") + ".", secrets: []string{token}},
		{name: "a token-shaped value that is no secret given", value: "tag ghp_someOtherTOKENlookingValue99 here"},
		{name: "another secret", value: "oidc=oidcRequestSecretValue42", secrets: []string{"oidcRequestSecretValue42"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var rep report.Report
			fill(reflect.ValueOf(&rep).Elem(), tc.value)
			rep.Outcome = report.OutcomeFailed
			require.NotEmpty(t, rep.Checks)
			require.NotEmpty(t, rep.Findings)
			require.NotNil(t, rep.Diagnosis)

			red := rep.Redact(tc.secrets...)

			json, err := red.JSON()
			require.NoError(t, err)
			rendered := []string{string(json), red.Human(), red.Markdown(), strings.Join(red.WorkflowCommands(), "\n")}
			var leaks []string
			walkStrings(reflect.ValueOf(red), func(path, s string) {
				if leaked(s, token, tc.value) {
					leaks = append(leaks, path)
				}
			})
			assert.Empty(t, leaks, "fields Redact missed")
			for _, out := range rendered {
				assert.False(t, leaked(out, token, tc.value), "a rendering leaks:\n%s", out)
			}
			assert.Equal(t, tc.value, rep.Checks[0].Message, "the original report is left as it was")
			assert.Equal(t, tc.value, rep.Findings[0].Needs[0])
			assert.Equal(t, tc.value, rep.Diagnosis.Fix)
		})
	}
}

// leaked reports whether s holds the secret part of value: the token, its prefix-less form,
// or the other secret values of the cases.
func leaked(s, token, value string) bool {
	for _, form := range []string{token, strings.TrimPrefix(token, "ghs_"), "someOtherTOKENlookingValue99", "oidcRequestSecretValue42"} {
		if strings.Contains(value, form) && strings.Contains(s, form) {
			return true
		}
	}
	return false
}

// walkStrings calls fn with every exported string reachable from v and its path.
func walkStrings(v reflect.Value, fn func(path, s string)) {
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.String:
			fn(path, v.String())
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i), path+"."+v.Type().Field(i).Name)
				}
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), path+"[]")
			}
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		}
	}
	walk(v, "Report")
}
