package compare

import (
	"context"
	"fmt"
	"math"

	"github.com/retsim/retsim/sim"
)

// FlipTolerance is the width, as a share of the range searched, to which
// FindFlip narrows a crossing: 2^-10 of the range, ten halvings.
const FlipTolerance = 1.0 / 1024

// Flip is where one parameter, set alone to a value in both scenarios,
// turns a comparison's verdict: the value at which the mean paired
// difference of the outcome, scenario - reference, crosses zero.
type Flip struct {
	Reference, Scenario, Outcome, Key string
	// Central is the value the verdict is read at: the parameter's
	// central value (sim.Dist.Central) when it is uncertain, else the
	// reference's value.
	Central float64
	// AtCentral is the paired difference there.
	AtCentral Paired
	// Lo and Hi bound the values searched: the parameter's allowed range,
	// its upper end cut at the larger of 1 and four times the larger of the
	// central value and the distribution's upper end (a normal's or
	// lognormal's 4-sigma point).
	Lo, Hi float64
	// Flips reports whether the mean difference changes sign within
	// [Lo, Hi]; Value, Low and High are NaN when it does not.
	Flips bool
	// Value is where the mean difference crosses zero, to within
	// FlipTolerance of the range; Low and High are where the bounds of its
	// 95% interval cross zero (the interval of the flip value), NaN at an
	// end where a bound does not cross within the range.
	Value, Low, High float64
	// Evaluations counts the paired runs made.
	Evaluations int
}

// Below reports whether the verdict flips when the parameter falls below
// Value (rather than rises above it).
func (f Flip) Below() bool { return f.Value < f.Central }

// flipRange is the range FindFlip searches for parameter p around central:
// p's allowed range, its upper end cut at the larger of 1 and four times
// the larger of central and the distribution's upper end (see distTop),
// and an open lower end moved in to a millionth of central.
func flipRange(p sim.Param, central float64, d *sim.Dist) (lo, hi float64) {
	lo = p.Min
	if p.MinOpen {
		lo = math.Nextafter(p.Min, math.Inf(1))
		if central > 0 {
			lo = math.Max(lo, central*1e-6)
		}
	}
	top := math.Abs(central)
	if d != nil {
		top = math.Max(top, distTop(*d, p))
	}
	return lo, math.Min(p.Max, math.Max(1, 4*top))
}

// distTop is d's upper end: its maximum, or a normal's or lognormal's
// 4-sigma point.
func distTop(d sim.Dist, p sim.Param) float64 {
	switch d.Kind {
	case sim.DistNormal:
		return d.Mean + 4*d.SD
	case sim.DistLognormal:
		return d.Median * math.Exp(4*d.SDLog)
	}
	return d.Quantile(1, p)
}

// FindFlip searches, for the parameter key set alone in both ref and alt
// (every other assumption still drawn, every run on the scenarios' own
// seeds: common random numbers, so the search is on one fixed set of
// random numbers), the value at which the mean paired difference of o,
// alt - ref, crosses zero: it evaluates the difference at the range's ends
// and central value and bisects the side whose sign differs from the
// central's (the nearer crossing if both do). The interval is found the same
// way for the 95% interval's bounds. The parameter must take any number.
func FindFlip(ctx context.Context, ref, alt Scenario, key string, o Outcome, opt sim.Options) (Flip, error) {
	p, ok := sim.Lookup(key)
	if !ok || p.Whole {
		return Flip{}, fmt.Errorf("flip: %s: not a parameter that takes any number", key)
	}
	f := Flip{Reference: ref.Name, Scenario: alt.Name, Outcome: o.Name, Key: key, Value: math.NaN(), Low: math.NaN(), High: math.NaN()}
	var dist *sim.Dist
	for _, us := range [][]sim.Uncertain{alt.Config.Uncertain, ref.Config.Uncertain} {
		for _, u := range us {
			if u.Key == key && dist == nil {
				dist = &u.Dist
			}
		}
	}
	if dist != nil {
		f.Central = dist.Central()
	} else {
		f.Central, _ = ref.Config.Get(key)
	}
	f.Lo, f.Hi = flipRange(p, f.Central, dist)
	cache := map[float64]Paired{}
	eval := func(v float64) (Paired, error) {
		if d, ok := cache[v]; ok {
			return d, nil
		}
		r, err := ref.Config.Fix(key, v)
		if err != nil {
			return Paired{}, err
		}
		a, err := alt.Config.Fix(key, v)
		if err != nil {
			return Paired{}, err
		}
		var pairing Pairing
		err = sim.Stream(ctx, []Scenario{{Name: ref.Name, Config: r}, {Name: alt.Name, Config: a}}, opt, func(_ int, reps []*sim.Replication) error {
			pairing.Add(o.In(&r, reps[0]), o.In(&a, reps[1]))
			return nil
		})
		if err != nil {
			return Paired{}, fmt.Errorf("flip: %s = %g: %w", key, v, err)
		}
		f.Evaluations++
		cache[v] = pairing.Paired()
		return cache[v], nil
	}
	var err error
	if f.AtCentral, err = eval(f.Central); err != nil {
		return f, err
	}
	mean := func(d Paired) float64 { return d.Mean }
	side := func(end float64) (bool, error) {
		d, err := eval(end)
		return err == nil && sign(d.Mean) != sign(f.AtCentral.Mean), err
	}
	lowSide, err := side(f.Lo)
	if err != nil {
		return f, err
	}
	highSide, err := side(f.Hi)
	if err != nil {
		return f, err
	}
	if !lowSide && !highSide {
		return f, nil
	}
	f.Flips = true
	var best float64
	for _, s := range []struct {
		on  bool
		end float64
	}{{lowSide, f.Lo}, {highSide, f.Hi}} {
		if !s.on {
			continue
		}
		v, err := crossing(eval, mean, f.Central, s.end, f.Hi-f.Lo)
		if err != nil {
			return f, err
		}
		if math.IsNaN(f.Value) || math.Abs(v-f.Central) < math.Abs(best-f.Central) {
			f.Value, best = v, v
		}
	}
	end := f.Lo
	if f.Value > f.Central {
		end = f.Hi
	}
	for _, b := range []struct {
		at  *float64
		get func(Paired) float64
	}{{&f.Low, func(d Paired) float64 { return d.CI95.Low }}, {&f.High, func(d Paired) float64 { return d.CI95.High }}} {
		if *b.at, err = crossing(eval, b.get, f.Central, end, f.Hi-f.Lo); err != nil {
			return f, err
		}
	}
	if f.Low > f.High {
		f.Low, f.High = f.High, f.Low
	}
	return f, nil
}

// sign is -1, 0 or 1 as x is negative, zero or positive (NaN counts as 0).
func sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// crossing bisects [from, to] for where get of the paired difference
// changes sign, to within FlipTolerance of width; NaN when it has the same
// sign at both ends.
func crossing(eval func(float64) (Paired, error), get func(Paired) float64, from, to, width float64) (float64, error) {
	a, err := eval(from)
	if err != nil {
		return 0, err
	}
	b, err := eval(to)
	if err != nil {
		return 0, err
	}
	sa := sign(get(a))
	if sa == sign(get(b)) {
		return math.NaN(), nil
	}
	for math.Abs(to-from) > FlipTolerance*width {
		mid := (from + to) / 2
		m, err := eval(mid)
		if err != nil {
			return 0, err
		}
		if sign(get(m)) == sa {
			from = mid
		} else {
			to = mid
		}
	}
	return (from + to) / 2, nil
}
