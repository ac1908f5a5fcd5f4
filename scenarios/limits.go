package scenarios

import (
	"fmt"
	"strings"
)

// Limits on a scenario file, checked on its raw bytes before any decoder
// sees them, so that the time and memory spent refusing a file grow no
// faster than its size. A scenario needs two levels (section and parameter)
// and keys of at most 36 bytes; the limits are far above that.
const (
	// maxFileSize is the largest scenario file read, in bytes.
	maxFileSize = 1 << 20
	// maxDepth is the deepest nesting of sections, lists and inline
	// tables, and the most dotted parts a key may have.
	maxDepth = 16
	// maxKeyLen is the longest key, dotted parts included, in bytes.
	maxKeyLen = 128
)

// limitError is raw text beyond a limit, at a line (counted from 1).
type limitError struct {
	line int
	msg  string
}

func (e *limitError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// tooDeep and tooLong are the limit errors shared by the scanners.
func tooDeep(line int) error {
	return &limitError{line, fmt.Sprintf("nested more than %d levels deep; a scenario needs 2 (section and parameter)", maxDepth)}
}

func tooManyParts(line int) error {
	return &limitError{line, fmt.Sprintf("a key with more than %d dotted parts; a parameter's key has 2", maxDepth)}
}

func tooLong(line int) error {
	return &limitError{line, fmt.Sprintf("a key longer than %d bytes; the longest parameter's key has 36", maxKeyLen)}
}

// checkRaw checks data, a file in format (a key of formats' values), against
// maxDepth and maxKeyLen in one pass, without decoding it: it follows
// strings, comments and brackets only, and leaves every other error to the
// decoder.
func checkRaw(format string, data []byte) error {
	s := scanner{data: data, line: 1}
	switch format {
	case "json":
		return s.json()
	case "toml":
		return s.toml()
	}
	return s.yaml()
}

// scanner walks the raw bytes of a file.
type scanner struct {
	data  []byte
	i     int
	line  int
	stack []byte // open brackets, '[' or '{'
}

// next returns the byte at the position and moves past it, counting lines.
func (s *scanner) next() byte {
	c := s.data[s.i]
	s.i++
	if c == '\n' {
		s.line++
	}
	return c
}

func (s *scanner) done() bool { return s.i >= len(s.data) }

func (s *scanner) peek(text string) bool {
	return len(s.data)-s.i >= len(text) && string(s.data[s.i:s.i+len(text)]) == text
}

// open and close track a bracket, open refusing one too deep.
func (s *scanner) open(c byte) error {
	s.stack = append(s.stack, c)
	if len(s.stack) > maxDepth {
		return tooDeep(s.line)
	}
	return nil
}

func (s *scanner) close() {
	if n := len(s.stack); n > 0 {
		s.stack = s.stack[:n-1]
	}
}

// inTable reports whether the innermost open bracket is a '{'.
func (s *scanner) inTable() bool { return len(s.stack) > 0 && s.stack[len(s.stack)-1] == '{' }

// quoted skips a string whose opening quote q has been read, up to and
// including its closing quote; escapes are honoured when escapes is true.
// The returned length counts the bytes between the quotes.
func (s *scanner) quoted(q byte, escapes bool) int {
	start := s.i
	for !s.done() {
		c := s.next()
		switch {
		case c == '\\' && escapes && !s.done():
			s.next()
		case c == q:
			return s.i - 1 - start
		}
	}
	return s.i - start
}

// skipLine skips to the end of the line (a comment), leaving the newline.
func (s *scanner) skipLine() {
	for !s.done() && s.data[s.i] != '\n' {
		s.i++
	}
}

// json checks nesting and the length of keys: strings followed by ':'.
func (s *scanner) json() error {
	lastString := -1 // length of the string just read, -1 if something else was
	for !s.done() {
		c := s.next()
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '"':
			lastString = s.quoted('"', true)
			continue
		case ':':
			if lastString > maxKeyLen {
				return tooLong(s.line)
			}
		case '[', '{':
			if err := s.open(c); err != nil {
				return err
			}
		case ']', '}':
			s.close()
		}
		lastString = -1
	}
	return nil
}

// yaml checks the nesting of flow collections ([...], {...}); the nesting of
// blocks by indentation is bounded by the file's size (n levels take n^2/2
// bytes) and checked after decoding, with the length of keys. A quote
// starts a string only where a token starts, as in YAML, so that the
// apostrophe in "the firm's" is text.
func (s *scanner) yaml() error {
	prev := byte('\n')
	for !s.done() {
		c := s.next()
		tokenStart := prev == '\n' || prev == ' ' || prev == '\t' || prev == ',' || prev == '[' || prev == '{' || prev == ':' || prev == '-'
		switch {
		case c == '#' && (prev == '\n' || prev == ' ' || prev == '\t'):
			s.skipLine()
		case (c == '"' || c == '\'') && tokenStart:
			s.quoted(c, c == '"') // '' in a single-quoted string closes and reopens it: harmless
		case c == '[' || c == '{':
			if err := s.open(c); err != nil {
				return err
			}
		case c == ']' || c == '}':
			s.close()
		}
		prev = c
	}
	return nil
}

// toml checks nesting, and the dotted parts and length of every key: in
// table headers, before '=' at the start of a line, and in inline tables.
func (s *scanner) toml() error {
	atKey := true // a key may start here
	for !s.done() {
		c := s.data[s.i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			s.i++
		case c == '\n':
			s.next()
			atKey = atKey || len(s.stack) == 0
		case c == '#':
			s.skipLine()
		case atKey && c == '[' && len(s.stack) == 0: // a table header
			for !s.done() && s.data[s.i] == '[' {
				s.i++
			}
			if err := s.tomlKey("]"); err != nil {
				return err
			}
			atKey = false
		case atKey && c != ']' && c != '}':
			if err := s.tomlKey("="); err != nil {
				return err
			}
			atKey = false
		case c == '"' || c == '\'':
			s.i++
			s.tomlString(c)
		case c == '[' || c == '{':
			s.i++
			if err := s.open(c); err != nil {
				return err
			}
			atKey = c == '{'
		case c == ']' || c == '}':
			s.i++
			s.close()
		case c == ',':
			s.i++
			atKey = s.inTable()
		default:
			s.i++
		}
	}
	return nil
}

// tomlKey reads a key up to end ("=" or "]") or the end of the line,
// refusing one with too many dotted parts or too many bytes.
func (s *scanner) tomlKey(end string) error {
	start, parts := s.i, 1
	for !s.done() && !s.peek(end) && s.data[s.i] != '\n' {
		switch c := s.data[s.i]; c {
		case '"', '\'':
			s.i++
			s.tomlString(c)
		case '.':
			s.i++
			if parts++; parts > maxDepth {
				return tooManyParts(s.line)
			}
		default:
			s.i++
		}
		if s.i-start > maxKeyLen {
			return tooLong(s.line)
		}
	}
	if !s.done() && s.data[s.i] != '\n' {
		s.i++ // the '=' or ']'
	}
	return nil
}

// tomlString skips a string whose first quote q has been read: basic ("),
// literal ('), or either multi-line (""" or ”').
func (s *scanner) tomlString(q byte) {
	triple := string([]byte{q, q, q})
	if !s.peek(triple[1:]) {
		s.quoted(q, q == '"')
		return
	}
	s.i += 2
	for !s.done() && !s.peek(triple) {
		if c := s.next(); c == '\\' && q == '"' && !s.done() {
			s.next()
		}
	}
	for i := 0; i < 3 && !s.done(); i++ {
		s.next()
	}
}

// checkKey refuses a key, from any layer, longer than maxKeyLen or with
// more than maxDepth dotted parts, before anything compares it with the
// parameters' keys.
func checkKey(key string) error {
	switch {
	case len(key) > maxKeyLen:
		return fmt.Errorf("a key longer than %d bytes; the longest parameter's key has 36", maxKeyLen)
	case strings.Count(key, ".") >= maxDepth:
		return fmt.Errorf("a key with more than %d dotted parts or levels; a parameter's key has 2", maxDepth)
	}
	return nil
}

// shorten is key cut to at most 64 bytes, for naming it in an error.
func shorten(key string) string {
	const most = 64
	if len(key) <= most {
		return key
	}
	return strings.ToValidUTF8(key[:most], "\uFFFD") + "..."
}
