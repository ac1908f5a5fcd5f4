package experiment

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/retsim/retsim/internal/input"
	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// Spec is an experiment as its design file states it, before its scenario
// is loaded (see ReadSpec for the file's keys).
type Spec struct {
	File         string // the design file, as named
	Scenario     string // a built-in name, or a path relative to the design file's directory
	Description  string
	Kind         Kind
	Samples      int     // LatinHypercube: points; Saltelli: base points
	Replications int     // 0: the scenario's
	Seed         *uint64 // nil: the scenario's
	Outcomes     []string
	Resamples    int // Saltelli: bootstrap resamples of the Sobol indices
	Params       []ParamSpec
}

// ParamSpec is one entry of a design file's params: a parameter and, as
// far as given, its values or range.
type ParamSpec struct {
	Key      string
	Values   []float64 // factorial: the values themselves
	Min, Max *float64  // the range; nil: the default (see Spec.Plan)
	Steps    int       // factorial: evenly spaced values from Min to Max
	Log      bool      // spacing: log (Min > 0)
}

// DefaultResamples is the bootstrap resamples of a Saltelli design when
// the file gives none.
const DefaultResamples = 1000

// maxFileSize is the largest design file read.
const maxFileSize = 1 << 20

// Keys of a design file, in the order of its documentation.
var (
	topKeys   = []string{"scenario", "description", "design", "samples", "replications", "seed", "outcomes", "bootstrap", "params"}
	paramKeys = []string{"values", "min", "max", "steps", "spacing"}
)

// ReadSpec reads a design file, YAML:
//
//	scenario: baseline          # a built-in name or a scenario file, relative to this file
//	description: which assumptions matter   # optional
//	design: saltelli            # factorial, lhs or saltelli
//	samples: 64                 # lhs: points; saltelli: base points (points = samples x (params + 2))
//	replications: 10            # optional: the scenario's
//	seed: 7                     # optional: the scenario's
//	outcomes: [value, final_nps]   # optional: the key outcomes
//	bootstrap: 1000             # optional, saltelli: bootstrap resamples
//	params:                     # the parameters varied, in order
//	  policy.giving:            # nothing: its default range
//	  churn.alpha: {min: 0.5, max: 1.2}
//	  pricing.list_price: {min: 10, max: 100, spacing: log}
//	  switching.cost: {values: [0, 0.2, 0.5]}       # factorial only
//	  goodwill.decay: {min: 0.7, max: 0.95, steps: 4}  # factorial only
//
// Decoding is strict: an unknown key, a key given twice, a value of the
// wrong type, a number that is not finite or out of range is an error of
// one line, a *scenarios.Error naming the file and the key. Parameter
// values are checked against their scenario by Spec.Plan.
func ReadSpec(ctx context.Context, path string) (*Spec, error) {
	fail := func(key, format string, a ...any) error {
		return &scenarios.Error{File: path, Key: key, Msg: fmt.Sprintf(format, a...)}
	}
	data, err := input.ReadFile(ctx, path, maxFileSize)
	var pathErr *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fail("", "no such file")
	case errors.As(err, &pathErr):
		return nil, fail("", "%v", pathErr.Err)
	case err != nil:
		return nil, fail("", "%v", err)
	}
	top, err := document(data)
	if err != nil {
		return nil, fail("", "%v", err)
	}
	s := &Spec{File: path, Resamples: DefaultResamples}
	d := decoder{fail: fail}
	err = d.mapping(top, "", topKeys, func(key string, v *yaml.Node) error {
		switch key {
		case "scenario":
			return d.text(v, key, &s.Scenario)
		case "description":
			return d.text(v, key, &s.Description)
		case "design":
			var kind string
			if err := d.text(v, key, &kind); err != nil {
				return err
			}
			s.Kind = Kind(kind)
			for _, k := range Kinds {
				if s.Kind == k {
					return nil
				}
			}
			return fail(key, "must be one of %s, got %q", kindList(), kind)
		case "samples":
			return d.integer(v, key, 2, MaxPoints, &s.Samples)
		case "replications":
			p, _ := sim.Lookup("replications")
			return d.integer(v, key, int(p.Min), int(p.Max), &s.Replications)
		case "seed":
			n, err := d.unsigned(v, key)
			s.Seed = &n
			return err
		case "outcomes":
			return d.texts(v, key, &s.Outcomes)
		case "bootstrap":
			return d.integer(v, key, MinResamples, MaxResamples, &s.Resamples)
		case "params":
			return d.params(v, s)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"scenario", "design", "params"} {
		if !d.seen[k] {
			return nil, fail(k, "missing: a design file names its scenario, design and params")
		}
	}
	if s.Kind != Factorial && !d.seen["samples"] {
		return nil, fail("samples", "missing: a design of kind %s needs its number of samples", s.Kind)
	}
	if s.Kind == Factorial && d.seen["samples"] {
		return nil, fail("samples", "a factorial design has no samples; its points are every combination of the params' values")
	}
	if s.Kind != Saltelli && d.seen["bootstrap"] {
		return nil, fail("bootstrap", "only a saltelli design has Sobol indices to bootstrap")
	}
	return s, nil
}

// kindList is the kinds of design as "factorial, lhs or saltelli".
func kindList() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// ScenarioRef is the scenario to load: a built-in name as given, a path
// relative to the design file's directory.
func (s *Spec) ScenarioRef() string {
	if strings.ContainsAny(s.Scenario, "/.") && !filepath.IsAbs(s.Scenario) {
		return filepath.Join(filepath.Dir(s.File), s.Scenario)
	}
	return s.Scenario
}

// document decodes one YAML document whose top level is a mapping.
func document(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, errors.New("the file holds no keys")
	} else if err != nil {
		return nil, errors.New(strings.TrimPrefix(strings.ReplaceAll(err.Error(), "\n", "; "), "yaml: "))
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		return nil, errors.New("a second YAML document follows the first; a design file holds one")
	}
	if len(doc.Content) == 0 || doc.Content[0].Tag == "!!null" {
		return nil, errors.New("the file holds no keys")
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: the top level must be keys with values (key: value)", top.Line)
	}
	return top, nil
}

// decoder reads the values of a design file's nodes, failing with errors
// that name the file and the key.
type decoder struct {
	fail func(key, format string, a ...any) error
	seen map[string]bool // top-level keys given
}

// mapping calls visit for each key of the mapping n, at path, in order,
// refusing a key not in allowed and a key given twice.
func (d *decoder) mapping(n *yaml.Node, path string, allowed []string, visit func(key string, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return d.fail(path, "line %d: must be keys with values (key: value), got %s", n.Line, what(n))
	}
	seen := map[string]bool{}
	if path == "" {
		d.seen = seen
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := join(path, k.Value)
		if k.Kind != yaml.ScalarNode {
			return d.fail(path, "line %d: a key must be a name, not %s", k.Line, what(k))
		}
		if seen[k.Value] {
			return d.fail(key, "line %d: given twice", k.Line)
		}
		seen[k.Value] = true
		if allowed != nil && !contains(allowed, k.Value) {
			return d.fail(key, "line %d: unknown key; use %s", k.Line, strings.Join(allowed, ", "))
		}
		if err := visit(k.Value, v); err != nil {
			return err
		}
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// what says what n is, for "got ..." in errors.
func what(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a section"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:40] + "..."
	}
	return strconv.Quote(v)
}

// text reads a text value.
func (d *decoder) text(n *yaml.Node, key string, out *string) error {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" || n.Value == "" {
		return d.fail(key, "line %d: must be text, got %s", n.Line, what(n))
	}
	*out = n.Value
	return nil
}

// texts reads a list of text values, at least one.
func (d *decoder) texts(n *yaml.Node, key string, out *[]string) error {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return d.fail(key, "line %d: must be a list of names, e.g. [value, final_nps], got %s", n.Line, what(n))
	}
	for i, c := range n.Content {
		var s string
		if err := d.text(c, fmt.Sprintf("%s[%d]", key, i), &s); err != nil {
			return err
		}
		*out = append(*out, s)
	}
	return nil
}

// number reads a finite number.
func (d *decoder) number(n *yaml.Node, key string) (float64, error) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		return 0, d.fail(key, "line %d: must be a number, got %s", n.Line, what(n))
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, d.fail(key, "line %d: must be a finite number, got %s", n.Line, n.Value)
	}
	return x, nil
}

// integer reads a whole number in [lo, hi].
func (d *decoder) integer(n *yaml.Node, key string, lo, hi int, out *int) error {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		return d.fail(key, "line %d: must be a whole number, got %s", n.Line, what(n))
	}
	x, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil || x < int64(lo) || x > int64(hi) {
		return d.fail(key, "line %d: must be a whole number in [%d, %d], got %s", n.Line, lo, hi, n.Value)
	}
	*out = int(x)
	return nil
}

// unsigned reads a whole number in [0, 2^64-1].
func (d *decoder) unsigned(n *yaml.Node, key string) (uint64, error) {
	x, err := strconv.ParseUint(n.Value, 10, 64)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil {
		return 0, d.fail(key, "line %d: must be a whole number in [0, 18446744073709551615], got %s", n.Line, what(n))
	}
	return x, nil
}

// params reads the params mapping into s.Params, in order.
func (d *decoder) params(n *yaml.Node, s *Spec) error {
	if n.Kind == yaml.MappingNode && len(n.Content) == 0 {
		return d.fail("params", "line %d: name at least one parameter", n.Line)
	}
	return d.mapping(n, "params", nil, func(key string, v *yaml.Node) error {
		ps := ParamSpec{Key: key}
		path := "params." + key
		if _, ok := sim.Lookup(key); !ok {
			return d.fail(path, "line %d: unknown parameter (see 'retsim params')", v.Line)
		}
		if key == "seed" || key == "replications" {
			return d.fail(path, "line %d: cannot be varied; every point runs with the experiment's %s", v.Line, key)
		}
		if v.Tag == "!!null" {
			s.Params = append(s.Params, ps)
			return nil
		}
		err := d.mapping(v, path, paramKeys, func(field string, f *yaml.Node) error {
			at := path + "." + field
			switch field {
			case "values":
				if f.Kind != yaml.SequenceNode || len(f.Content) == 0 {
					return d.fail(at, "line %d: must be a list of numbers, e.g. [0, 0.5, 1], got %s", f.Line, what(f))
				}
				for i, c := range f.Content {
					x, err := d.number(c, fmt.Sprintf("%s[%d]", at, i))
					if err != nil {
						return err
					}
					ps.Values = append(ps.Values, x)
				}
			case "min", "max":
				x, err := d.number(f, at)
				if field == "min" {
					ps.Min = &x
				} else {
					ps.Max = &x
				}
				return err
			case "steps":
				return d.integer(f, at, 2, MaxSteps, &ps.Steps)
			case "spacing":
				var sp string
				if err := d.text(f, at, &sp); err != nil {
					return err
				}
				if sp != "linear" && sp != "log" {
					return d.fail(at, "line %d: must be linear or log, got %q", f.Line, sp)
				}
				ps.Log = sp == "log"
			}
			return nil
		})
		s.Params = append(s.Params, ps)
		return err
	})
}

// MaxSteps is the most values a factor of a factorial design may have.
const MaxSteps = 1000
