package scenarios

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/retsim/retsim/sim"
)

// Top-level keys of a scenario file for customer segments (M13): segments,
// a list of segments, and targeting, a mapping of segment names to
// targeting weights. Each is taken whole from the nearest file of the
// extends chain that gives it: a file that declares segments replaces the
// list it extends, and one that gives targeting replaces its weights
// (segments it does not name get weight 1).
const (
	keySegments  = "segments"
	keyTargeting = "targeting"
)

// segmentKeys are the keys of one segment in a file, for suggestions.
var segmentKeys = func() []string {
	keys := []string{"name"}
	for _, p := range sim.SegmentParams {
		keys = append(keys, p.Key)
	}
	return keys
}()

// list returns v as a list, if it is one as decoded from YAML, TOML or
// JSON.
func list(v any) ([]any, bool) {
	switch v := v.(type) {
	case []any:
		return v, true
	case []map[string]any: // TOML arrays of tables
		out := make([]any, len(v))
		for i, m := range v {
			out[i] = m
		}
		return out, true
	}
	return nil, false
}

// parseSegments reads the value of the top-level key segments: a non-empty
// list of segments, each a mapping with a name, the numbers of
// sim.SegmentParams (nested or dotted: churn: {alpha: 1} or churn.alpha: 1),
// the required ones given and each in its range.
func (d *doc) parseSegments(v any) ([]sim.Segment, error) {
	items, ok := list(v)
	if !ok || len(items) == 0 {
		return nil, &Error{File: d.path, Key: keySegments, Msg: "must be a list of segments, each with a name, share and churn: {alpha, beta}, got " + describe(v)}
	}
	segs := make([]sim.Segment, 0, len(items))
	seen := map[string]bool{}
	for i, item := range items {
		key := keySegments + "[" + strconv.Itoa(i+1) + "]"
		fail := func(k, msg string) error {
			return &Error{File: d.path, Key: strings.TrimSuffix(key+"."+k, "."), Msg: msg}
		}
		m, ok := mapping(item)
		if !ok {
			return nil, fail("", "must be a segment (a mapping with a name, share and churn), got "+describe(item))
		}
		name, ok := m["name"].(string)
		if name = strings.TrimSpace(name); !ok || name == "" {
			return nil, fail("name", "every segment needs a name (text), got "+describe(m["name"]))
		}
		key = keySegments + "." + name
		if seen[name] {
			return nil, fail("", "segment declared twice")
		}
		seen[name] = true
		numbers := map[string]float64{}
		if err := flattenNumbers("", m, numbers, func(k, msg string) error { return fail(k, msg) }); err != nil {
			return nil, err
		}
		s := sim.NewSegment(name)
		for _, k := range sortedKeys(asAny(numbers)) {
			if err := s.Set(k, numbers[k]); err != nil {
				return nil, fail(k, unknownKey(k, segmentKeys))
			}
		}
		for _, p := range sim.SegmentParams {
			x, _ := s.Get(p.Key)
			if math.IsNaN(p.Default) && math.IsNaN(x) {
				return nil, fail(p.Key, "missing; every segment gives name, share, churn.alpha and churn.beta")
			}
			if err := p.Check(x); err != nil {
				return nil, fail(p.Key, message(err))
			}
		}
		segs = append(segs, s)
	}
	return segs, nil
}

// flattenNumbers adds to out the numbers of the mapping m under prefix as
// dotted keys, skipping the segment's name; fail reports a key whose value
// is neither a number nor a mapping.
func flattenNumbers(prefix string, m map[string]any, out map[string]float64, fail func(k, msg string) error) error {
	for _, k := range sortedKeys(m) {
		key := prefix + k
		if key == "name" {
			continue
		}
		x, err := number(m[k])
		if err == nil {
			if _, given := out[key]; given {
				return fail(key, "given twice")
			}
			out[key] = x.x
			continue
		}
		sub, ok := mapping(m[k])
		switch {
		case !ok && !slices.Contains(segmentKeys, key):
			return fail(key, unknownKey(key, segmentKeys))
		case !ok:
			return fail(key, err.Error())
		}
		if err := flattenNumbers(key+".", sub, out, fail); err != nil {
			return err
		}
	}
	return nil
}

func asAny(m map[string]float64) map[string]any {
	out := make(map[string]any, len(m))
	for k, x := range m {
		out[k] = x
	}
	return out
}

// parseTargeting reads the value of the top-level key targeting: a mapping
// of segment names to weights >= 0.
func (d *doc) parseTargeting(v any) (map[string]float64, error) {
	m, ok := mapping(v)
	if !ok || len(m) == 0 {
		return nil, &Error{File: d.path, Key: keyTargeting, Msg: "must map segment names to weights, e.g. {loyal: 3, bargain: 1}, got " + describe(v)}
	}
	out := make(map[string]float64, len(m))
	for _, name := range sortedKeys(m) {
		v, err := number(m[name])
		if err != nil || math.IsNaN(v.x) || math.IsInf(v.x, 0) || v.x < 0 {
			return nil, &Error{File: d.path, Key: keyTargeting + "." + name, Msg: "must be a number >= 0, got " + describe(m[name])}
		}
		out[name] = v.x
	}
	return out, nil
}

// segmentLayer is the segments and targeting a chain of files gives, with
// the files that gave them.
type segmentLayer struct {
	segments        []sim.Segment
	segmentsFile    string
	targetingFile   string
	targetingByName map[string]float64
}

// segmentsOf takes the segments and the targeting from the nearest file of
// chain (child first) giving each, and puts the targeting weights on the
// segments: every name targeted must be a declared segment.
func segmentsOf(chain []*doc) (segmentLayer, error) {
	var l segmentLayer
	for _, d := range chain {
		if l.segments == nil && d.segments != nil {
			l.segments, l.segmentsFile = slices.Clone(d.segments), d.path
		}
		if l.targetingByName == nil && d.targeting != nil {
			l.targetingByName, l.targetingFile = d.targeting, d.path
		}
	}
	if l.targetingByName == nil {
		return l, nil
	}
	if l.segments == nil {
		return l, &Error{File: l.targetingFile, Key: keyTargeting, Msg: "no segments to target: declare segments in this file or one it extends"}
	}
	names := make([]string, len(l.segments))
	for i, s := range l.segments {
		names[i] = s.Name
	}
	for _, name := range sortedKeys(asAny(l.targetingByName)) {
		i := slices.Index(names, name)
		if i < 0 {
			return l, &Error{File: l.targetingFile, Key: keyTargeting + "." + name, Msg: "unknown segment; the segments are " + strings.Join(names, ", ")}
		}
		l.segments[i].Target = l.targetingByName[name]
	}
	return l, nil
}

// blame is the file to name for an error of sim.Config.Validate keyed key,
// if it is about segments or targeting.
func (l segmentLayer) blame(key string) (string, bool) {
	switch first, _, _ := strings.Cut(key, "."); first {
	case keySegments:
		return l.segmentsFile, true
	case keyTargeting:
		if l.targetingFile != "" {
			return l.targetingFile, true
		}
		return l.segmentsFile, true
	}
	return "", false
}

// segmentsMarkdown documents the segments list and targeting for
// docs/parameters.md.
func segmentsMarkdown() string {
	var b strings.Builder
	b.WriteString(`
## Segments and targeting (M13)

A scenario file may declare the kinds of customer in its market as a list,
` + "`segments`" + `, and aim paid and discount acquisition at some of them with
` + "`targeting`" + `, a mapping of segment names to weights (1 for a segment not
named). Both are set in scenario files only (not with --set or the
environment); each is taken whole from the nearest file that gives it. Without
segments the market is one segment with churn.alpha and churn.beta. With
segments, each customer's base churn comes from its segment; initial and
referred customers are of a segment with probability its share, paid and
discount ones with probability share x weight / sum of share x weight, each
costing market.cac x its segment's cac. Shares must sum to 1. Runs write
segments.csv and lifetime value and CAC payback by segment in summary.json.

` + "```yaml" + `
segments:
  - {name: loyal, share: 0.5, churn: {alpha: 0.8, beta: 40}, fit: 1.5, cac: 1.3}
  - {name: bargain, share: 0.5, churn: {alpha: 0.8, beta: 12}, price_sensitivity: 1.5}
targeting: {loyal: 3, bargain: 1}
` + "```" + `

| Key | Type | Unit | Allowed | Default | Meaning |
|---|---|---|---|---|---|
| ` + "`segments[].name`" + ` | text |  |  | required | The segment's name, unique in the list. |
`)
	for _, p := range sim.SegmentParams {
		def := formatNumber(p.Default)
		if math.IsNaN(p.Default) {
			def = "required"
		}
		b.WriteString("| `segments[]." + p.Key + "` | " + p.Type() + " | " + cell(p.Unit) + " | " + cell(p.Range()) + " | " + def + " | " + cell(p.Doc) + " |\n")
	}
	return b.String()
}
