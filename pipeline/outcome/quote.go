package outcome

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on what an error echoes back.
const (
	// MaxMessage is the most of an Error's Message that Error() prints, in bytes; a longer
	// message is cut at a character boundary and ends in "…".
	MaxMessage = 1024
	// MaxQuoted is the most of an input that [Quote] shows, in bytes, before it cuts it.
	MaxQuoted = 200
)

// Redacted stands in for a secret that was removed from a text.
const Redacted = "[REDACTED]"

// tokenPrefixes start GitHub's token formats: personal access tokens (classic ghp_, fine-grained
// github_pat_), OAuth (gho_), user-to-server (ghu_), server-to-server such as GITHUB_TOKEN (ghs_)
// and refresh tokens (ghr_).
var tokenPrefixes = []string{"github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_"}

// tokenShaped matches a value that starts like a GitHub token.
var tokenShaped = regexp.MustCompile(`(?:github_pat_|gh[pousr]_)[A-Za-z0-9_]+`)

// Mask replaces every token-shaped value in s (a GitHub token prefix such as ghs_ or
// github_pat_ and the characters after it) by the prefix and [Redacted], so that a token passed
// by mistake as some other input is never echoed back.
func Mask(s string) string {
	return tokenShaped.ReplaceAllStringFunc(s, func(tok string) string {
		for _, p := range tokenPrefixes {
			if strings.HasPrefix(tok, p) {
				return p + Redacted
			}
		}
		return Redacted
	})
}

// Redact returns s with every secret replaced by [Redacted], and then masked as [Mask] does. A
// secret that starts with a GitHub token prefix is also removed without it, so that a server
// echoing "abc…" for the token "ghs_abc…" cannot get it into a message either.
func Redact(s string, secrets ...string) string {
	for _, secret := range secrets {
		for _, form := range secretForms(secret) {
			s = strings.ReplaceAll(s, form, Redacted)
		}
	}
	return Mask(s)
}

// minSecretForm is the shortest secret, or prefix-less form of a token, that Redact removes:
// anything shorter would blank out ordinary words all over the output, and no GitHub token is
// that short (a "token" of a few characters is no credential to protect).
const minSecretForm = 8

// secretForms is the secret as given and, for a GitHub token, without its prefix; longest first.
func secretForms(secret string) []string {
	secret = strings.TrimSpace(secret)
	if len(secret) < minSecretForm {
		return nil
	}
	forms := []string{secret}
	for _, p := range tokenPrefixes {
		if rest, ok := strings.CutPrefix(secret, p); ok && len(rest) >= minSecretForm {
			forms = append(forms, rest)
			break
		}
	}
	return forms
}

// Quote shows an input in an error message: Go-quoted, with token-shaped values masked (see
// [Mask]) and cut after [MaxQuoted] bytes with "…" after the closing quote. Every message that
// echoes input goes through it, so that a token passed as the wrong input is never printed.
func Quote(s string) string {
	s = Mask(s)
	if len(s) <= MaxQuoted {
		return strconv.Quote(s)
	}
	return strconv.Quote(cut(s, MaxQuoted)) + "…"
}

// Truncate returns s, or its first max bytes cut at a character boundary and followed by "…"
// when it is longer.
func Truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	return cut(s, max) + "…"
}

// cut is the longest prefix of s of at most n bytes that does not split a character (of valid
// UTF-8; invalid bytes are cut anywhere).
func cut(s string, n int) string {
	for back := 0; back < utf8.UTFMax-1 && n > 0 && n < len(s) && !utf8.RuneStart(s[n]); back++ {
		n--
	}
	return s[:n]
}
