package scenarios

import (
	"strconv"
	"strings"
	"unicode"
)

// Error is a scenario that cannot be loaded: a file that cannot be found,
// read or parsed, an unknown key, a value of the wrong type or out of range,
// a cycle in extends. Every error returned by Load and Validate is an *Error.
type Error struct {
	// File is the scenario file at fault or, for a value from another layer,
	// that value's origin as Origin.String gives it (env:RETSIM_SEED,
	// set:seed=1.5, change:seed=1.5, flag:seed).
	File string
	// Key is the parameter or top-level key at fault, if any.
	Key string
	// Msg says what is allowed and what was given.
	Msg string
}

// maxPart is the most bytes of a key or message an error shows.
const maxPart = 500

// Error joins the non-empty parts as "file: key: msg", on one line: a part
// holding a control character (a newline in a --set argument, say) is
// quoted with its escapes, and a key or message is cut to maxPart bytes.
func (e *Error) Error() string {
	parts := make([]string, 0, 3)
	for i, s := range []string{e.File, e.Key, e.Msg} {
		if i > 0 && len(s) > maxPart {
			s = strings.ToValidUTF8(s[:maxPart], "\uFFFD") + "..."
		}
		if strings.IndexFunc(s, unicode.IsControl) >= 0 {
			s = strconv.Quote(s)
		}
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ": ")
}
