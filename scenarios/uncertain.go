package scenarios

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/retsim/retsim/sim"
)

// keyUncertain is the top-level key of a scenario file's assumptions: a
// mapping from parameter keys (dotted, or nested by section) to
// distributions, e.g.
//
//	uncertain:
//	  goodwill.negativity_bias: {dist: triangular, min: 1.5, mode: 2.25, max: 3.0}
//	  market.cac: {dist: lognormal, median: 150, sd_log: 0.3}
const keyUncertain = "uncertain"

// distFields lists, by kind, the fields a distribution needs and those it
// may have.
var distFields = map[string]struct{ need, may []string }{
	sim.DistUniform:    {need: []string{"min", "max"}},
	sim.DistTriangular: {need: []string{"min", "mode", "max"}},
	sim.DistPERT:       {need: []string{"min", "mode", "max"}},
	sim.DistNormal:     {need: []string{"mean", "sd"}},
	sim.DistLognormal:  {need: []string{"median", "sd_log"}},
	sim.DistBeta:       {need: []string{"alpha", "beta"}, may: []string{"min", "max"}},
	sim.DistDiscrete:   {need: []string{"values"}, may: []string{"weights"}},
}

// parseUncertain reads the value of a file's uncertain key: each entry a
// parameter key with a mapping holding dist, or a section holding such
// entries. Every error is an *Error naming the file and the key
// uncertain.<parameter>.
func (d *doc) parseUncertain(v any) error {
	m, ok := mapping(v)
	if !ok {
		if v == nil {
			return nil
		}
		return &Error{File: d.path, Key: keyUncertain, Msg: "must map parameter keys to distributions ({dist: triangular, min: ..., mode: ..., max: ...}), got " + describe(v)}
	}
	return d.uncertainUnder("", m)
}

// uncertainUnder reads the entries of m, whose keys follow prefix.
func (d *doc) uncertainUnder(prefix string, m map[string]any) error {
	for _, k := range sortedKeys(m) {
		key := strings.TrimPrefix(prefix+"."+k, ".")
		fail := func(format string, a ...any) error {
			return &Error{File: d.path, Key: keyUncertain + "." + shorten(key), Msg: fmt.Sprintf(format, a...)}
		}
		if err := checkKey(key); err != nil {
			return fail("%s", err.Error())
		}
		sub, isMap := mapping(m[k])
		if !isMap {
			return fail("must be a distribution such as {dist: uniform, min: 1, max: 2}, got %s", describe(m[k]))
		}
		if _, isParam := sim.Lookup(key); !isParam {
			if _, isSection := sections[key]; isSection && sub["dist"] == nil {
				if err := d.uncertainUnder(key, sub); err != nil {
					return err
				}
				continue
			}
			return fail("%s", unknownKey(key, paramKeys))
		}
		dist, err := parseDist(sub)
		if err != nil {
			return fail("%s", err.Error())
		}
		u := sim.Uncertain{Key: key, Dist: dist}
		if err := u.Check(); err != nil {
			var pe *sim.ParamError
			if errors.As(err, &pe) {
				return fail("%s", strings.TrimPrefix(pe.Msg, "uncertain: "))
			}
			return fail("%s", err.Error())
		}
		if slices.ContainsFunc(d.settings, func(s setting) bool { return s.key == key }) {
			return fail("given both a value and a distribution in one file; keep one")
		}
		d.uncertain = append(d.uncertain, u)
	}
	return nil
}

// parseDist reads a distribution's mapping: dist names the kind, the other
// keys are exactly the fields it needs and may have.
func parseDist(m map[string]any) (sim.Dist, error) {
	kind, ok := m["dist"].(string)
	if !ok {
		return sim.Dist{}, fmt.Errorf("needs dist, one of %s", strings.Join(sim.DistKinds, ", "))
	}
	fields, ok := distFields[kind]
	if !ok {
		return sim.Dist{}, fmt.Errorf("unknown dist %q; use one of %s", shorten(kind), strings.Join(sim.DistKinds, ", "))
	}
	d := sim.Dist{Kind: kind}
	if kind == sim.DistBeta {
		d.Max = 1
	}
	for _, f := range fields.need {
		if _, ok := m[f]; !ok {
			return d, fmt.Errorf("dist %s needs %s", kind, strings.Join(fields.need, ", "))
		}
	}
	for _, f := range sortedKeys(m) {
		if f == "dist" {
			continue
		}
		if !slices.Contains(fields.need, f) && !slices.Contains(fields.may, f) {
			return d, fmt.Errorf("dist %s takes %s, got %s", kind, strings.Join(append(slices.Clone(fields.need), fields.may...), ", "), shorten(f))
		}
		if f == "values" || f == "weights" {
			xs, err := numbers(m[f])
			if err != nil {
				return d, fmt.Errorf("%s %w", f, err)
			}
			if f == "values" {
				d.Values = xs
			} else {
				d.Weights = xs
			}
			continue
		}
		x, err := number(m[f])
		if err != nil {
			return d, fmt.Errorf("%s %w", f, err)
		}
		*distField(&d, f) = x.x
	}
	return d, nil
}

// distField is the field of d named as in a scenario file.
func distField(d *sim.Dist, name string) *float64 {
	return map[string]*float64{"min": &d.Min, "mode": &d.Mode, "max": &d.Max, "mean": &d.Mean, "sd": &d.SD,
		"median": &d.Median, "sd_log": &d.SDLog, "alpha": &d.Alpha, "beta": &d.Beta}[name]
}

// numbers reads v as a list of numbers.
func numbers(v any) ([]float64, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, errors.New("must be a list of numbers, got " + describe(v))
	}
	xs := make([]float64, len(list))
	for i, e := range list {
		x, err := number(e)
		if err != nil {
			return nil, fmt.Errorf("[%d] %w", i, err)
		}
		xs[i] = x.x
	}
	return xs, nil
}

// mergeUncertain is the assumptions of a chain of files, child first,
// merged with the settings above them: a later layer wins, so a file's
// distribution replaces the one of a file it extends, and a value given
// for the parameter by a later layer (a file that extends it, the
// environment, --set or a flag) removes its distribution.
func mergeUncertain(chain []*doc, above []setting) []sim.Uncertain {
	var out []sim.Uncertain
	for i := len(chain) - 1; i >= 0; i-- {
		d := chain[i]
		out = slices.DeleteFunc(out, func(u sim.Uncertain) bool {
			return slices.ContainsFunc(d.settings, func(s setting) bool { return s.key == u.Key }) ||
				slices.ContainsFunc(d.uncertain, func(v sim.Uncertain) bool { return v.Key == u.Key })
		})
		out = append(out, d.uncertain...)
	}
	out = slices.DeleteFunc(out, func(u sim.Uncertain) bool {
		return slices.ContainsFunc(above, func(s setting) bool { return s.key == u.Key })
	})
	slices.SortFunc(out, func(a, b sim.Uncertain) int { return strings.Compare(a.Key, b.Key) })
	return out
}
