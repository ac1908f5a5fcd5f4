package scenarios

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/retsim/retsim/internal/input"
	"github.com/retsim/retsim/sim"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// builtinDir is the directory of the built-in files, in builtinFS and in the
// package source.
const builtinDir = "builtin"

// formats maps each accepted file extension to its format, a key of
// decoders.
var formats = map[string]string{".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}

// source is the text of one scenario, before parsing.
type source struct {
	path    string // shown in errors and origins: builtin/NAME.yaml, or the file's path
	id      string // identity for finding cycles: path for built-ins, absolute path for files
	name    string // the built-in name, or the file's base name without extension
	builtin bool
	format  string // a key of decoders
	data    []byte
}

// doc is one parsed scenario file.
type doc struct {
	source
	description string
	extends     string
	settings    []setting          // in the order of the file's keys, sorted
	segments    []sim.Segment      // the file's segments list, nil if it gives none (M13)
	targeting   map[string]float64 // the file's targeting weights by segment name, nil if none
	uncertain   []sim.Uncertain    // the file's uncertain section, nil if it gives none
}

// isPath reports whether ref names a file rather than a built-in scenario.
func isPath(ref string) bool {
	return filepath.Ext(ref) != "" || strings.ContainsAny(ref, `/\`)
}

// builtinNames lists the built-in scenarios, sorted.
func builtinNames() []string {
	entries, _ := builtinFS.ReadDir(builtinDir) // the directory is embedded, so it exists
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	slices.Sort(names)
	return names
}

// resolve reads the scenario ref and the chain of files it extends, child
// first, until ctx is cancelled.
func resolve(ctx context.Context, ref string) ([]*doc, error) {
	var chain []*doc
	var from *doc
	for {
		src, err := locate(ctx, ref, from)
		if err != nil {
			return nil, err
		}
		if i := slices.IndexFunc(chain, func(d *doc) bool { return d.id == src.id }); i >= 0 {
			var cycle []string
			for _, d := range chain[i:] {
				cycle = append(cycle, d.path)
			}
			cycle = append(cycle, src.path)
			return nil, &Error{File: from.path, Key: keyExtends, Msg: "cycle " + strings.Join(cycle, " -> ")}
		}
		d, err := parse(src)
		if err != nil {
			return nil, err
		}
		chain = append(chain, d)
		if d.extends == "" {
			return chain, nil
		}
		ref, from = d.extends, d
	}
}

// locate finds and reads the scenario ref: a built-in name or a file path.
// from is the file whose extends names ref, nil for the scenario asked for;
// a relative path is taken from from's directory, and errors name from.
// Only regular files are read (see input.ReadFile).
func locate(ctx context.Context, ref string, from *doc) (source, error) {
	fail := func(msg string) (source, error) {
		if from == nil {
			return source{}, &Error{File: ref, Msg: msg}
		}
		return source{}, &Error{File: from.path, Key: keyExtends, Msg: fmt.Sprintf("%q: %s", ref, msg)}
	}
	switch {
	case ref == "":
		return fail("no scenario named; give a built-in name or a file")
	case !isPath(ref):
		p := path.Join(builtinDir, ref+".yaml")
		data, err := builtinFS.ReadFile(p)
		if err != nil {
			msg := "unknown built-in scenario"
			if s, ok := suggest(ref, builtinNames()); ok {
				msg += "; did you mean " + s + "?"
			}
			return fail(msg + " (built-ins: " + strings.Join(builtinNames(), ", ") + "; a file needs a .yaml, .yml, .toml or .json extension)")
		}
		return source{path: p, id: p, name: ref, builtin: true, format: "yaml", data: data}, nil
	case from != nil && from.builtin:
		return fail("a built-in scenario extends only built-ins")
	}
	p := ref
	if from != nil {
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(from.path), p)
		}
		ref = p // errors name the file as resolved
	}
	format, ok := formats[strings.ToLower(filepath.Ext(p))]
	if !ok {
		return fail("unsupported file type; use .yaml, .yml, .toml or .json")
	}
	data, err := input.ReadFile(ctx, p, maxFileSize)
	var tooLarge *input.TooLargeError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fail("no such file")
	case errors.Is(err, input.ErrNotRegular), errors.As(err, &tooLarge):
		return fail(err.Error())
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fail("reading stopped: " + err.Error())
	case err != nil:
		return fail(oneLine(errors.Unwrap(err)))
	}
	id, err := filepath.Abs(p)
	if err != nil {
		id = filepath.Clean(p)
	}
	return source{path: p, id: id, name: strings.TrimSuffix(filepath.Base(p), filepath.Ext(p)), format: format, data: data}, nil
}

// oneLine is err's message with runs of white space, newlines included,
// turned into single spaces.
func oneLine(err error) string {
	if err == nil {
		return "unknown error"
	}
	return strings.Join(strings.Fields(err.Error()), " ")
}

// decode parses src into a map, after checking its raw text against the
// limits of checkRaw, turning a panic of the parser into an error.
func decode(src source) (m map[string]any, err error) {
	if err := checkRaw(src.format, src.data); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parser failed: %v", r)
		}
	}()
	return decoders[src.format](src.data)
}

// parse decodes src strictly: top-level description and extends are text,
// segments a list and targeting a mapping (see parseSegments and
// parseTargeting), every other key names a parameter or a section of
// parameters, and every parameter value is a number.
func parse(src source) (*doc, error) {
	m, err := decode(src)
	var le *limitError
	var ke *keyError
	switch {
	case errors.As(err, &le):
		return nil, &Error{File: src.path, Msg: le.Error()}
	case errors.As(err, &ke):
		return nil, &Error{File: src.path, Key: ke.key, Msg: ke.msg}
	case err != nil:
		return nil, &Error{File: src.path, Msg: "cannot parse as " + strings.ToUpper(src.format) + ": " + oneLine(err)}
	}
	if src.format == "json" {
		// JSON decoders keep the last of repeated keys; YAML and TOML refuse them.
		if key, ok := duplicateJSONKey(src.data); ok {
			return nil, &Error{File: src.path, Key: key, Msg: "given twice; give each key once"}
		}
	}
	if len(m) == 0 {
		return nil, &Error{File: src.path, Msg: "empty; a scenario file holds a description, extends or parameters"}
	}
	d := &doc{source: src}
	seen := map[string]bool{}
	for _, k := range sortedKeys(m) {
		switch k {
		case keyUncertain:
			continue // read last, once the file's values are known (see parseUncertain)
		case keyDescription:
			d.description, err = d.text(k, m[k])
		case keyExtends:
			d.extends, err = d.text(k, m[k])
			if err == nil && d.extends == "" {
				err = &Error{File: d.path, Key: k, Msg: "must name a built-in scenario or a file, got nothing"}
			}
		case keySegments:
			d.segments, err = d.parseSegments(m[k])
		case keyTargeting:
			d.targeting, err = d.parseTargeting(m[k])
		default:
			err = d.flatten(k, m[k], seen)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := d.parseUncertain(m[keyUncertain]); err != nil {
		return nil, err
	}
	return d, nil
}

// text returns v, the value of the top-level key, if it is text.
func (d *doc) text(key string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", &Error{File: d.path, Key: key, Msg: "must be text, got " + describe(v)}
	}
	return strings.TrimSpace(s), nil
}

// flatten adds to d.settings the parameters given by v under key, a dotted
// path: a number for a parameter, a mapping for a section. seen holds the
// keys already given, so a key given both nested and dotted is an error.
func (d *doc) flatten(key string, v any, seen map[string]bool) error {
	fail := func(msg string) error { return &Error{File: d.path, Key: key, Msg: msg} }
	if err := checkKey(key); err != nil {
		return &Error{File: d.path, Key: shorten(key), Msg: err.Error()}
	}
	_, isParam := sim.Lookup(key)
	_, isSection := sections[key]
	sub, isMap := mapping(v)
	switch {
	case isParam:
		x, err := number(v)
		if err != nil {
			return fail(err.Error())
		}
		if seen[key] {
			return fail("given twice")
		}
		seen[key] = true
		d.settings = append(d.settings, setting{key: key, v: x, origin: Origin{Layer: LayerFile, File: d.path}})
		return nil
	case isMap && (len(sub) > 0 || isSection):
		for _, k := range sortedKeys(sub) {
			if err := d.flatten(key+"."+k, sub[k], seen); err != nil {
				return err
			}
		}
		return nil
	case isSection && v == nil:
		return nil // a section whose every value is commented out
	case isSection:
		return fail("is a section of parameters such as " + sections[key] + ", got " + describe(v))
	}
	return fail(unknownKey(key, fileKeys))
}

// mapping returns v as a map with text keys, if v is a mapping.
func mapping(v any) (map[string]any, bool) {
	switch v := v.(type) {
	case map[string]any:
		return v, true
	case map[any]any: // YAML mappings with keys that are not all text
		m := make(map[string]any, len(v))
		for k, x := range v {
			if k == nil {
				m["null"] = x // an empty or null key, as YAML writes it
				continue
			}
			m[fmt.Sprint(k)] = x
		}
		return m, true
	}
	return nil, false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// duplicateJSONKey returns the first key, as a dotted path, that appears
// twice in one object of the JSON document data.
func duplicateJSONKey(data []byte) (string, bool) {
	type object struct {
		keys      map[string]bool
		path      string // dotted path of the object; "" at top level
		last      string // the key whose value is being read
		expectKey bool
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var stack []*object // nil entries stand for arrays
	valueRead := func() {
		if n := len(stack); n > 0 && stack[n-1] != nil {
			stack[n-1].expectKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false // the end, or a syntax error the decoder has already reported
		}
		var top *object
		if n := len(stack); n > 0 {
			top = stack[n-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				path := ""
				if top != nil {
					path = strings.TrimPrefix(top.path+"."+top.last, ".")
				}
				valueRead()
				stack = append(stack, &object{keys: map[string]bool{}, path: path, expectKey: true})
			case '[':
				valueRead()
				stack = append(stack, nil)
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if top != nil && top.expectKey {
				if top.keys[v] {
					return strings.TrimPrefix(top.path+"."+v, "."), true
				}
				top.keys[v], top.last, top.expectKey = true, v, false
				continue
			}
			valueRead()
		default:
			valueRead()
		}
	}
}
