package scenarios

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"
)

// decoders decode a file's text, by format, into a map keeping keys as
// written. Numbers come as int, int64, uint64, float64 or json.Number, so
// that integers are exact. Errors are in plain words, one line, with the
// line of the text where the decoder knows it.
var decoders = map[string]func([]byte) (map[string]any, error){
	"yaml": decodeYAML,
	"toml": decodeTOML,
	"json": decodeJSON,
}

// keyError is a value that cannot be a parameter's, found while decoding,
// at the dotted path key.
type keyError struct {
	key, msg string
}

func (e *keyError) Error() string { return e.key + ": " + e.msg }

// yaml12 matches a %YAML 1.2 directive: the YAML decoder knows only 1.1's,
// while it reads the documents of both versions the same way a scenario
// file needs (numbers, text, true and false, null, mappings).
var yaml12 = regexp.MustCompile(`(?m)\A((?:[ \t]*(?:#.*)?\r?\n)*)%YAML[ \t]+1\.2([ \t#\r\n])`)

// decodeYAML decodes a file of one YAML document whose top level is a
// mapping; a second document is refused, not ignored.
func decodeYAML(data []byte) (map[string]any, error) {
	data = yaml12.ReplaceAll(data, []byte("${1}%YAML 1.1$2"))
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	switch err := dec.Decode(&doc); {
	case errors.Is(err, io.EOF):
		return map[string]any{}, nil
	case err != nil:
		return nil, yamlError(err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, fmt.Errorf("line %d: a second YAML document starts here; a scenario file holds one", next.Line)
	case !errors.Is(err, io.EOF):
		return nil, fmt.Errorf("a second YAML document follows the first; a scenario file holds one (and the second cannot be read: %s)", oneLine(yamlError(err)))
	}
	if len(doc.Content) == 0 || doc.Content[0].Tag == "!!null" {
		return map[string]any{}, nil
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: the top level must be keys with values (key: value), got %s", top.Line, yamlKind(top))
	}
	if err := yamlNumbers(top, nil, 1); err != nil {
		return nil, err
	}
	m := map[string]any{}
	if err := top.Decode(&m); err != nil {
		return nil, yamlError(err)
	}
	return m, nil
}

// yamlKind says what the node n is, for "got ..." in errors.
func yamlKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", shorten(n.Value))
	case yaml.AliasNode:
		return "an alias"
	}
	return "something else"
}

// floatSyntax matches the numbers of YAML 1.2's core schema.
var floatSyntax = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// yamlNumbers refuses, under the mapping n, a plain (unquoted) scalar
// written as a number but too large for a float64, which the YAML decoder
// would read as text, and nesting deeper than maxDepth. path holds the keys
// above n, depth counts the mappings and lists above it. Values of the top-level description and extends are text,
// whatever they look like.
func yamlNumbers(n *yaml.Node, path []string, depth int) error {
	if depth > maxDepth {
		return tooDeep(n.Line)
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if len(path) == 0 && (k == keyDescription || k == keyExtends) {
				continue
			}
			if err := yamlNumbers(n.Content[i+1], append(path, k), depth+1); err != nil {
				return err
			}
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if err := yamlNumbers(c, path, depth+1); err != nil {
				return err
			}
		}
	case yaml.ScalarNode:
		if n.Style == 0 && n.Tag == "!!str" && floatSyntax.MatchString(n.Value) {
			if _, err := parseNumber(n.Value); err != nil {
				return &keyError{strings.Join(path, "."), err.Error()}
			}
		}
	}
	return nil
}

// yamlError is err, from the YAML decoder, on one line without the
// decoder's prefix.
func yamlError(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return errors.New(strings.Join(te.Errors, "; "))
	}
	msg := strings.TrimPrefix(oneLine(err), "yaml: ")
	if strings.HasPrefix(msg, "invalid map key:") {
		// The decoder prints the key as a Go value: a section or a list
		// written where a key belongs.
		return errors.New("a key must be a name, not a section or a list")
	}
	return errors.New(msg)
}

// decodeTOML decodes a TOML file.
func decodeTOML(data []byte) (map[string]any, error) {
	m := map[string]any{}
	err := toml.Unmarshal(data, &m)
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		msg, isNumber := tomlMessage(strings.TrimPrefix(de.Error(), "toml: "))
		if key := tomlKeyAt(data, row); isNumber && key != "" {
			return nil, &keyError{key, fmt.Sprintf("line %d: %s", row, msg)}
		}
		return nil, fmt.Errorf("line %d, column %d: %s", row, col, msg)
	}
	if err != nil {
		msg, _ := tomlMessage(strings.TrimPrefix(oneLine(err), "toml: "))
		return nil, errors.New(msg)
	}
	return m, nil
}

// strconvError matches the error of a strconv function inside a TOML
// decoder's message.
var strconvError = regexp.MustCompile(`(?:unable to parse float|couldn't parse decimal number|[a-z ']+): strconv\.Parse(\w+): parsing "((?:[^"\\]|\\.)*)": (.*)$`)

// tomlMessage says msg, from the TOML decoder, without the names of Go
// functions, and whether it is about a number.
func tomlMessage(msg string) (string, bool) {
	m := strconvError.FindStringSubmatchIndex(msg)
	if m == nil {
		return msg, false
	}
	kind, text, reason := msg[m[2]:m[3]], msg[m[4]:m[5]], msg[m[6]:m[7]]
	var what string
	switch {
	case reason == "value out of range" && kind == "Float":
		what = errNotFinite(text).Error()
	case reason == "value out of range":
		what = "an integer in TOML must be from -9223372036854775808 to 9223372036854775807, got " + text
	default:
		what = fmt.Sprintf("not a number: %q", text)
	}
	return msg[:m[0]] + what, true
}

// tomlKeyAt is the dotted key of the key = value on line row (counted from
// 1) of the TOML text data, under the table header above it; "" if the
// line holds no simple key = value (a value in brackets or braces, a
// quoted key).
func tomlKeyAt(data []byte, row int) string {
	lines := strings.SplitN(string(data), "\n", row+1)
	if len(lines) < row {
		return ""
	}
	key, value, ok := strings.Cut(lines[row-1], "=")
	if key = strings.TrimSpace(key); !ok || key == "" || strings.ContainsAny(key, "[]{}#\"'") || strings.ContainsAny(value, "[]{}") {
		return ""
	}
	for i := row - 2; i >= 0; i-- {
		if line := strings.TrimSpace(lines[i]); strings.HasPrefix(line, "[") && !strings.HasPrefix(line, "[[") {
			if end := strings.IndexByte(line, ']'); end > 0 {
				return strings.TrimSpace(line[1:end]) + "." + key
			}
		}
	}
	return key
}

// decodeJSON decodes a file of one JSON object, keeping numbers as written.
func decodeJSON(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	switch err := dec.Decode(&v); {
	case errors.Is(err, io.EOF):
		return map[string]any{}, nil
	case err != nil:
		return nil, jsonError(data, err)
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		rest := bytes.TrimLeft(data[end:], " \t\r\n")
		return nil, fmt.Errorf("%s: more after the end of the first JSON value; a scenario file holds one object", position(data, int64(len(data)-len(rest))))
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the top level must be an object ({\"key\": value, ...}), got %s", describe(v))
	}
	return m, nil
}

// jsonError is err, from the JSON decoder, in plain words with the line
// and column.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("%s: %s", position(data, se.Offset-1), se.Error()) // Offset is just past the fault
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the text ends before the JSON is complete")
	}
	return errors.New(oneLine(err))
}

// position is "line L, column C" of the byte offset in data, both counted
// from 1.
func position(data []byte, offset int64) string {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}
