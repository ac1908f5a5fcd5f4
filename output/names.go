package output

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
)

// maxSafeName is the longest label SafeName keeps as it is, in bytes.
const maxSafeName = 64

var safeName = regexp.MustCompile(`^[a-z0-9_-][a-z0-9._-]*$`)

// SafeName turns a label read from data (a cohort's name, say) into a
// file name that stays inside the output directory. A label that is
// already safe (lower-case ASCII letters, digits, '.', '_' and '-', not
// starting with '.', at most 64 bytes) is kept; any other has every byte
// outside letters, digits, '.', '_' and '-' replaced by '_', a leading '.'
// replaced by '_', is cut to 64 bytes and gets '-' and the first 8
// hexadecimal digits of the label's SHA-256 appended. So "/../x" becomes
// "_.._x-" followed by 8 digits: never a path, never hidden, the same for
// the same label, and different labels give different names, also on file
// systems that ignore case.
func SafeName(label string) string {
	if len(label) <= maxSafeName && safeName.MatchString(label) {
		return label
	}
	b := []byte(label)
	if len(b) > maxSafeName {
		b = b[:maxSafeName]
	}
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '-':
		case c == '.' && i > 0:
		default:
			b[i] = '_'
		}
	}
	sum := sha256.Sum256([]byte(label))
	return string(b) + "-" + hex.EncodeToString(sum[:4])
}
