package tags

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// invisibleNames names the characters that show as nothing, or change the order in which the
// text around them is shown, and that a pasted tag most often carries.
var invisibleNames = map[rune]string{
	0x00AD: "SOFT HYPHEN",
	0x034F: "COMBINING GRAPHEME JOINER",
	0x061C: "ARABIC LETTER MARK",
	0x115F: "HANGUL CHOSEONG FILLER",
	0x1160: "HANGUL JUNGSEONG FILLER",
	0x17B4: "KHMER VOWEL INHERENT AQ",
	0x17B5: "KHMER VOWEL INHERENT AA",
	0x180E: "MONGOLIAN VOWEL SEPARATOR",
	0x200B: "ZERO WIDTH SPACE",
	0x200C: "ZERO WIDTH NON-JOINER",
	0x200D: "ZERO WIDTH JOINER",
	0x200E: "LEFT-TO-RIGHT MARK",
	0x200F: "RIGHT-TO-LEFT MARK",
	0x202A: "LEFT-TO-RIGHT EMBEDDING",
	0x202B: "RIGHT-TO-LEFT EMBEDDING",
	0x202C: "POP DIRECTIONAL FORMATTING",
	0x202D: "LEFT-TO-RIGHT OVERRIDE",
	0x202E: "RIGHT-TO-LEFT OVERRIDE",
	0x2060: "WORD JOINER",
	0x2061: "FUNCTION APPLICATION",
	0x2062: "INVISIBLE TIMES",
	0x2063: "INVISIBLE SEPARATOR",
	0x2064: "INVISIBLE PLUS",
	0x2066: "LEFT-TO-RIGHT ISOLATE",
	0x2067: "RIGHT-TO-LEFT ISOLATE",
	0x2068: "FIRST STRONG ISOLATE",
	0x2069: "POP DIRECTIONAL ISOLATE",
	0x3164: "HANGUL FILLER",
	0xFEFF: "ZERO WIDTH NO-BREAK SPACE",
	0xFFA0: "HALFWIDTH HANGUL FILLER",
}

// isInvisible reports whether r shows as nothing or reorders the text around it: a named one, a
// format character (Unicode category Cf: zero-width characters, bidirectional controls, tag
// characters) or a variation selector.
func isInvisible(r rune) bool {
	_, named := invisibleNames[r]
	return named || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r)
}

// Invisible names, in order of first appearance and each once, the characters of s that show
// as nothing or reorder the text around them (zero-width characters, bidirectional controls,
// fillers): "U+200B ZERO WIDTH SPACE". A name with such a character looks like another one it
// is not. nil when there are none.
func Invisible(s string) []string {
	var names []string
	for _, r := range s {
		if !isInvisible(r) {
			continue
		}
		name, ok := invisibleNames[r]
		if !ok {
			name = "an invisible formatting character"
		}
		if n := fmt.Sprintf("U+%04X %s", r, name); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// invisibleProblem says which invisible characters s holds, or "" when none.
func invisibleProblem(s string) string {
	names := Invisible(s)
	switch len(names) {
	case 0:
		return ""
	case 1:
		return "contains " + names[0] + ", which is invisible or reorders the text around it"
	}
	return "contains " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] +
		", which are invisible or reorder the text around them"
}
