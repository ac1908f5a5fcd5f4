package sim

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Distribution kinds of Dist.Kind.
const (
	DistUniform    = "uniform"    // Min, Max
	DistTriangular = "triangular" // Min, Mode, Max
	DistPERT       = "pert"       // Min, Mode, Max: Beta(1 + 4(mode-min)/(max-min), 1 + 4(max-mode)/(max-min)) on [min, max]
	DistNormal     = "normal"     // Mean, SD, truncated to the parameter's allowed range
	DistLognormal  = "lognormal"  // Median, SDLog, truncated to the parameter's allowed range
	DistBeta       = "beta"       // Alpha, Beta on [Min, Max]
	DistDiscrete   = "discrete"   // Values, with Weights (equal when none)
)

// DistKinds lists the distribution kinds, for messages.
var DistKinds = []string{DistUniform, DistTriangular, DistPERT, DistNormal, DistLognormal, DistBeta, DistDiscrete}

// Dist is an assumption's distribution: the belief about a parameter's value.
// Which fields count depends on Kind (see the Dist constants); the others
// are zero. Every draw lies in the parameter's allowed range: the bounded
// kinds must lie inside it, normal and lognormal are truncated to it.
type Dist struct {
	Kind           string
	Min, Mode, Max float64
	Mean, SD       float64
	Median, SDLog  float64
	Alpha, Beta    float64
	Values         []float64
	Weights        []float64
}

// Fields are the fields of d's kind, keyed as in a scenario file (min,
// mode, max, mean, sd, median, sd_log, alpha, beta, values, weights).
func (d Dist) Fields() map[string]any {
	switch d.Kind {
	case DistUniform:
		return map[string]any{"min": d.Min, "max": d.Max}
	case DistTriangular, DistPERT:
		return map[string]any{"min": d.Min, "mode": d.Mode, "max": d.Max}
	case DistNormal:
		return map[string]any{"mean": d.Mean, "sd": d.SD}
	case DistLognormal:
		return map[string]any{"median": d.Median, "sd_log": d.SDLog}
	case DistBeta:
		return map[string]any{"alpha": d.Alpha, "beta": d.Beta, "min": d.Min, "max": d.Max}
	case DistDiscrete:
		m := map[string]any{"values": d.Values}
		if d.Weights != nil {
			m["weights"] = d.Weights
		}
		return m
	}
	return map[string]any{}
}

// String is d as in a scenario file, e.g. "triangular min=1.5 mode=2.25 max=3".
func (d Dist) String() string {
	f := d.Fields()
	parts := []string{d.Kind}
	for _, k := range []string{"min", "mode", "max", "mean", "sd", "median", "sd_log", "alpha", "beta", "values", "weights"} {
		if v, ok := f[k]; ok {
			parts = append(parts, fmt.Sprintf("%s=%v", k, v))
		}
	}
	return strings.Join(parts, " ")
}

// MarshalJSON writes {"dist": kind, and the fields of its kind}.
func (d Dist) MarshalJSON() ([]byte, error) {
	m := d.Fields()
	m["dist"] = d.Kind
	return json.Marshal(m)
}

// Uncertain is one parameter whose value is an assumption with a
// distribution: each replication draws it from its own stream.
type Uncertain struct {
	Key  string `json:"key"`
	Dist Dist   `json:"dist"`
}

// check reports what is wrong with d as the distribution of parameter p:
// a field out of place (min above max, a mode outside them, a spread not
// above 0) or a support outside p's allowed range.
func (d Dist) check(p Param) error {
	inside := func(field string, x float64) error {
		if err := p.Check(x); err != nil {
			return fmt.Errorf("%s %g is outside the parameter's allowed range (%s)", field, x, p.Range())
		}
		return nil
	}
	finite := func(names []string, xs ...float64) error {
		for i, x := range xs {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%s must be a finite number, got %v", names[i], x)
			}
		}
		return nil
	}
	switch d.Kind {
	case DistUniform, DistTriangular, DistPERT, DistBeta:
		if err := finite([]string{"min", "mode", "max", "alpha", "beta"}, d.Min, d.Mode, d.Max, d.Alpha, d.Beta); err != nil {
			return err
		}
		if !(d.Min < d.Max) {
			return fmt.Errorf("min (%g) must be below max (%g)", d.Min, d.Max)
		}
		if (d.Kind == DistTriangular || d.Kind == DistPERT) && (d.Mode < d.Min || d.Mode > d.Max) {
			return fmt.Errorf("mode (%g) must be in [min, max] = [%g, %g]", d.Mode, d.Min, d.Max)
		}
		if d.Kind == DistBeta && (d.Alpha <= 0 || d.Beta <= 0) {
			return fmt.Errorf("alpha and beta must be > 0, got %g and %g", d.Alpha, d.Beta)
		}
		if err := inside("min", d.Min); err != nil {
			return err
		}
		return inside("max", d.Max)
	case DistNormal:
		if err := finite([]string{"mean", "sd"}, d.Mean, d.SD); err != nil {
			return err
		}
		if d.SD <= 0 {
			return fmt.Errorf("sd must be > 0, got %g", d.SD)
		}
		return inside("mean", d.Mean)
	case DistLognormal:
		if err := finite([]string{"median", "sd_log"}, d.Median, d.SDLog); err != nil {
			return err
		}
		if d.Median <= 0 || d.SDLog <= 0 {
			return fmt.Errorf("median and sd_log must be > 0, got %g and %g", d.Median, d.SDLog)
		}
		return inside("median", d.Median)
	case DistDiscrete:
		if len(d.Values) == 0 {
			return fmt.Errorf("values must list at least one value")
		}
		if d.Weights != nil && len(d.Weights) != len(d.Values) {
			return fmt.Errorf("weights must be as many as values (%d), got %d", len(d.Values), len(d.Weights))
		}
		total := 0.0
		for i, w := range d.Weights {
			if !(w >= 0) || math.IsInf(w, 0) {
				return fmt.Errorf("weights[%d] must be a finite number >= 0, got %g", i, w)
			}
			total += w
		}
		if d.Weights != nil && total <= 0 {
			return fmt.Errorf("weights must not all be 0")
		}
		for i, x := range d.Values {
			if err := inside(fmt.Sprintf("values[%d]", i), x); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("unknown dist %q; use one of %v", d.Kind, DistKinds)
}

// Central is d's central value, at which the assumption is held when its
// uncertainty is left out: the midpoint of a uniform, the mode of a
// triangular or PERT, the mean of a normal and of a beta, the median of a
// lognormal, the weighted mean of a discrete list.
func (d Dist) Central() float64 {
	switch d.Kind {
	case DistUniform:
		return (d.Min + d.Max) / 2
	case DistTriangular, DistPERT:
		return d.Mode
	case DistNormal:
		return d.Mean
	case DistLognormal:
		return d.Median
	case DistBeta:
		return d.Min + (d.Max-d.Min)*d.Alpha/(d.Alpha+d.Beta)
	case DistDiscrete:
		var sum, total float64
		for i, x := range d.Values {
			w := 1.0
			if d.Weights != nil {
				w = d.Weights[i]
			}
			sum += w * x
			total += w
		}
		return sum / total
	}
	return math.NaN()
}

// Quantile is the value of parameter p that d puts at cumulative
// probability u in (0, 1), normal and lognormal truncated to p's allowed
// range: one uniform number per draw, so that a larger u never gives a
// smaller value.
func (d Dist) Quantile(u float64, p Param) float64 {
	span := d.Max - d.Min
	var x float64
	switch d.Kind {
	case DistUniform:
		x = d.Min + u*span
	case DistTriangular:
		x = distuv.NewTriangle(d.Min, d.Max, d.Mode, nil).Quantile(u)
	case DistPERT:
		a, b := 1+4*(d.Mode-d.Min)/span, 1+4*(d.Max-d.Mode)/span
		x = d.Min + span*distuv.Beta{Alpha: a, Beta: b}.Quantile(u)
	case DistBeta:
		x = d.Min + span*distuv.Beta{Alpha: d.Alpha, Beta: d.Beta}.Quantile(u)
	case DistNormal:
		x = truncated(distuv.Normal{Mu: d.Mean, Sigma: d.SD}, u, p.Min, p.Max)
	case DistLognormal:
		x = truncated(distuv.LogNormal{Mu: math.Log(d.Median), Sigma: d.SDLog}, u, math.Max(p.Min, 0), p.Max)
	case DistDiscrete:
		total := float64(len(d.Values))
		if d.Weights != nil {
			total = 0
			for _, w := range d.Weights {
				total += w
			}
		}
		acc := 0.0
		for i, v := range d.Values {
			w := 1.0
			if d.Weights != nil {
				w = d.Weights[i]
			}
			acc += w
			if u*total < acc {
				return v
			}
		}
		return d.Values[len(d.Values)-1]
	}
	x = math.Max(p.Min, math.Min(p.Max, x))
	if p.MinOpen && x == p.Min {
		x = math.Nextafter(p.Min, math.Inf(1))
	}
	return x
}

// cdfQuantile is a distribution with a CDF and its inverse.
type cdfQuantile interface {
	CDF(float64) float64
	Quantile(float64) float64
}

// truncated is the quantile at u of dist truncated to [lo, hi].
func truncated(dist cdfQuantile, u, lo, hi float64) float64 {
	flo, fhi := 0.0, 1.0
	if !math.IsInf(lo, -1) {
		flo = dist.CDF(lo)
	}
	if !math.IsInf(hi, 1) {
		fhi = dist.CDF(hi)
	}
	return dist.Quantile(flo + u*(fhi-flo))
}

// Check reports, as a *ParamError naming the key, what is wrong with u: a
// key that names no parameter or a whole-number one (counts and periods
// carry no distribution), or a distribution that does not fit the
// parameter's range.
func (u Uncertain) Check() error {
	p, ok := Lookup(u.Key)
	switch {
	case !ok:
		return paramError(u.Key, "uncertain: not a parameter")
	case p.Whole:
		return paramError(u.Key, "uncertain: a whole-number parameter cannot carry a distribution (counts and periods are set, not assumed)")
	}
	if err := u.Dist.check(p); err != nil {
		return paramError(u.Key, "uncertain: %v", err)
	}
	return nil
}

// checkUncertain checks every assumption (see Uncertain.Check) and that
// none is given twice.
func (c *Config) checkUncertain() error {
	seen := map[string]bool{}
	for _, u := range c.Uncertain {
		if seen[u.Key] {
			return paramError(u.Key, "uncertain: given twice")
		}
		seen[u.Key] = true
		if err := u.Check(); err != nil {
			return err
		}
	}
	return nil
}

// Central is c with every uncertain parameter held at its distribution's
// central value (see Dist.Central) and no uncertainty: the same scenario
// with Monte Carlo noise only.
func (c Config) Central() Config {
	out := c
	out.Uncertain = nil
	for _, u := range c.Uncertain {
		if err := out.Set(u.Key, u.Dist.Central()); err != nil {
			panic(err) // checked by Validate
		}
	}
	return out
}

// Fix is c with the parameter key set to x and, if it was uncertain, its
// distribution removed; the other assumptions are untouched, so their
// draws do not change.
func (c Config) Fix(key string, x float64) (Config, error) {
	out := c
	out.Uncertain = slices.DeleteFunc(slices.Clone(c.Uncertain), func(u Uncertain) bool { return u.Key == key })
	if len(out.Uncertain) == 0 {
		out.Uncertain = nil
	}
	if err := out.Set(key, x); err != nil {
		return c, err
	}
	return out, nil
}

// nameKey is the stream identifier of a parameter key: its 64-bit FNV-1a
// hash.
func nameKey(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}

// Draws returns the values of replication rep's assumptions, in the order
// of c.Uncertain. Each comes from a stream of its own keyed by (seed, rep,
// parameter key), so two scenarios that share an assumption draw the same
// value for it in the same replication (common random numbers), and adding
// an assumption leaves the others' draws unchanged.
func (c *Config) Draws(rep int) []float64 {
	if len(c.Uncertain) == 0 {
		return nil
	}
	s := newStreams()
	out := make([]float64, len(c.Uncertain))
	for i, u := range c.Uncertain {
		r := s.at(key(c.Seed, uint64(rep), nameKey(u.Key)), procAssumptions, 0)
		p, _ := Lookup(u.Key)
		out[i] = u.Dist.Quantile((float64(r.pcg.Uint64()>>11)+0.5)*0x1p-53, p)
	}
	return out
}

// With is c with its uncertain parameters set to values (drawn in the
// order of c.Uncertain), and no uncertainty left; c itself when values is
// empty.
func (c *Config) With(values []float64) (*Config, error) {
	if len(values) == 0 {
		return c, nil
	}
	if len(values) != len(c.Uncertain) {
		return nil, fmt.Errorf("%d values for %d uncertain parameters", len(values), len(c.Uncertain))
	}
	out := *c
	out.Uncertain = nil
	for i, u := range c.Uncertain {
		if err := out.Set(u.Key, values[i]); err != nil {
			return nil, err
		}
	}
	return &out, nil
}
