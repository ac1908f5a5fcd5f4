package compare

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/retsim/retsim/sim"
)

// MaxSteps is the most grid points an axis may have: a guard against typos,
// since a sweep runs every point of the grid.
const MaxSteps = 1000

// Axis is one parameter of a sweep and its grid: Steps evenly spaced values
// from From to To, both included.
type Axis struct {
	Key      string // a key of sim.Params, e.g. "policy.giving"
	From, To float64
	Steps    int // grid points, 2 to MaxSteps
}

// ParseAxis reads an axis written key=from:to:steps, for example
// "policy.giving=0:1:5" (0, 0.25, 0.5, 0.75, 1), and checks it with
// Validate.
func ParseAxis(s string) (Axis, error) {
	key, grid, ok := strings.Cut(s, "=")
	if !ok {
		return Axis{}, fmt.Errorf("axis %q: want key=from:to:steps, e.g. policy.giving=0:1:5", s)
	}
	parts := strings.Split(grid, ":")
	if len(parts) != 3 {
		return Axis{}, fmt.Errorf("axis %q: want from:to:steps after %q, got %d field(s)", s, key+"=", len(parts))
	}
	a := Axis{Key: strings.TrimSpace(key)}
	var err error
	for i, f := range []*float64{&a.From, &a.To} {
		if *f, err = strconv.ParseFloat(strings.TrimSpace(parts[i]), 64); err != nil {
			return Axis{}, fmt.Errorf("axis %q: %s %q is not a number", s, [...]string{"from", "to"}[i], parts[i])
		}
	}
	if a.Steps, err = strconv.Atoi(strings.TrimSpace(parts[2])); err != nil {
		return Axis{}, fmt.Errorf("axis %q: steps %q is not a whole number", s, parts[2])
	}
	if err := a.Validate(); err != nil {
		return Axis{}, fmt.Errorf("axis %q: %w", s, err)
	}
	return a, nil
}

// String writes the axis as ParseAxis reads it.
func (a Axis) String() string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	return fmt.Sprintf("%s=%s:%s:%d", a.Key, f(a.From), f(a.To), a.Steps)
}

// Validate checks that the key is a parameter that can vary (not seed or
// replications), that there are 2 to MaxSteps distinct grid points, and that
// every grid point is an allowed value of the parameter (within its range,
// whole where the parameter is whole).
func (a Axis) Validate() error {
	p, err := variable(a.Key)
	if err != nil {
		return err
	}
	if a.Steps < 2 || a.Steps > MaxSteps {
		return fmt.Errorf("%s: steps must be in [2, %d], got %d", a.Key, MaxSteps, a.Steps)
	}
	if a.From == a.To {
		return fmt.Errorf("%s: from and to must differ, both are %v", a.Key, a.From)
	}
	for _, x := range a.Values() {
		if err := p.Check(x); err != nil {
			if p.Whole {
				return fmt.Errorf("grid point: %w (choose steps so that (to - from)/(steps - 1) is whole)", err)
			}
			return fmt.Errorf("grid point: %w", err)
		}
	}
	return nil
}

// variable returns the parameter named key if a sweep or sensitivity
// analysis may vary it: every parameter but seed (which must stay the same
// for common random numbers) and replications.
func variable(key string) (sim.Param, error) {
	p, ok := sim.Lookup(key)
	if !ok {
		return sim.Param{}, fmt.Errorf("%s: unknown parameter (see 'retsim params')", key)
	}
	if key == "seed" || key == "replications" {
		return sim.Param{}, fmt.Errorf("%s: cannot be varied; every point runs with the base's %s", key, key)
	}
	return p, nil
}

// Values are the grid points, From first and To last.
func (a Axis) Values() []float64 {
	v := make([]float64, a.Steps)
	for i := range v {
		v[i] = a.From + (a.To-a.From)*float64(i)/float64(a.Steps-1)
	}
	v[a.Steps-1] = a.To
	return v
}

// SweepPoint is one point of the grid and its outcomes.
type SweepPoint struct {
	Values []float64 // the parameter values, one per axis
	// Outcomes[k] has taken outcome k of every replication.
	Outcomes []sim.Accumulator
	// With a reference (SweepResult.Reference), Diffs[k] has taken outcome
	// k of every replication minus the reference's in the same replication,
	// and Pairs[k] pairs them (Pairing.Paired: mean difference, intervals,
	// P(beats)); both nil without a reference.
	Diffs []sim.Accumulator
	Pairs []Pairing
}

// SweepResult is every point of a sweep.
type SweepResult struct {
	Axes         []Axis
	Outcomes     []Outcome
	Replications int
	Points       []SweepPoint // the grid, first axis varying slowest
	// Reference names the scenario every point is compared with on common
	// random numbers; empty without one.
	Reference string
}

// Stat summarises outcome k at point p across replications.
func (s *SweepResult) Stat(p, k int) sim.Stat { return s.Points[p].Outcomes[k].Stat() }

// Differences is the sweep of the paired differences, point minus
// reference: a SweepResult over the same grid whose outcome k, named
// "NAME minus REFERENCE", has taken the per-replication differences of
// outcome k, for charts. Nil without a reference.
func (s *SweepResult) Differences() *SweepResult {
	if s.Reference == "" {
		return nil
	}
	d := &SweepResult{Axes: s.Axes, Replications: s.Replications, Points: make([]SweepPoint, len(s.Points))}
	for _, o := range s.Outcomes {
		o.Name += " minus " + s.Reference
		d.Outcomes = append(d.Outcomes, o)
	}
	for p, pt := range s.Points {
		d.Points[p] = SweepPoint{Values: pt.Values, Outcomes: pt.Diffs}
	}
	return d
}

// Sweep runs base at every point of the grid spanned by the axes (any
// number of them; the grid has the product of their steps as points),
// keeping the outcomes' aggregates, not the replications,
// every point with base's seed and replication count, so that points differ
// only where the parameters act (common random numbers), and records the
// named outcomes (OutcomeByName; none means Outcomes). Points run one after
// another; the result depends only on the arguments other than opt. It is
// a Sweeper without a reference extended once to base's replications.
func Sweep(ctx context.Context, base sim.Config, axes []Axis, outcomes []string, opt sim.Options) (*SweepResult, error) {
	sw, err := NewSweeper(base, axes, outcomes, nil)
	if err != nil {
		return nil, err
	}
	if err := sw.Extend(ctx, base.Replications, opt); err != nil {
		return nil, err
	}
	return sw.Result(), nil
}

// Sweeper is a sweep under way: Extend adds replications at every point to
// those already simulated, each simulated once, and Result ends the sweep.
// Extended to n replications in any steps, it ends with the result of one
// extension to n, bit for bit (see StudyRun).
type Sweeper struct {
	points []Scenario
	ref    *Scenario   // nil without a reference
	refs   [][]float64 // refs[k][i]: the reference's outcome k in replication i
	res    *SweepResult
	n      int // replications simulated
	done   bool
}

// NewSweeper starts a sweep of base over the grid spanned by the axes,
// recording the named outcomes (none means Outcomes), as Sweep does, with
// no replication yet. With a reference ref, which runs on base's seed (common
// random numbers) and needs base's horizon, every point is also compared
// with it, replication by replication (SweepPoint.Diffs and Pairs).
func NewSweeper(base sim.Config, axes []Axis, outcomes []string, ref *Scenario) (*Sweeper, error) {
	scs, values, err := sweepGrid(base, axes)
	if err != nil {
		return nil, err
	}
	outs, err := outcomesByName(outcomes)
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	s := &Sweeper{points: scs, res: &SweepResult{Axes: axes, Outcomes: outs, Points: make([]SweepPoint, len(scs))}}
	for p := range scs {
		pt := &s.res.Points[p]
		pt.Values, pt.Outcomes = values[p], make([]sim.Accumulator, len(outs))
		if ref != nil {
			pt.Diffs, pt.Pairs = make([]sim.Accumulator, len(outs)), make([]Pairing, len(outs))
		}
	}
	if ref != nil {
		if p, q := ref.Config.Horizon.Periods, base.Horizon.Periods; p != q {
			return nil, fmt.Errorf("sweep: reference %s has horizon.periods %d, the swept scenario %d; outcomes at the horizon need the same horizon", ref.Name, p, q)
		}
		r := *ref
		r.Config.Seed = base.Seed
		s.ref, s.refs, s.res.Reference = &r, make([][]float64, len(outs)), r.Name
	}
	return s, nil
}

// Extend simulates replications Replications() to reps-1 of the reference
// and then of every point, and adds them to the aggregates; reps below
// Replications() is an error, as is extending a sweep Result has ended.
func (s *Sweeper) Extend(ctx context.Context, reps int, opt sim.Options) error {
	switch {
	case s.done:
		return errors.New("sweep: extended after it ended")
	case reps < s.n:
		return fmt.Errorf("sweep: cannot shrink from %d to %d replications", s.n, reps)
	}
	runs, first := len(s.points), 0 // first: the stage of the first point
	if s.ref != nil {
		runs, first = runs+1, 1
		ref := *s.ref
		ref.Config.Replications = reps
		err := sim.StreamRange(ctx, []Scenario{ref}, s.n, reps, stage(opt, 0, runs), func(_ int, r []*sim.Replication) error {
			for k, o := range s.res.Outcomes {
				s.refs[k] = append(s.refs[k], o.In(&ref.Config, r[0]))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("sweep: reference %s: %w", ref.Name, err)
		}
	}
	for p, sc := range s.points {
		sc.Config.Replications = reps
		pt := &s.res.Points[p]
		err := sim.StreamRange(ctx, []Scenario{sc}, s.n, reps, stage(opt, first+p, runs), func(i int, r []*sim.Replication) error {
			for k, o := range s.res.Outcomes {
				x := o.In(&sc.Config, r[0])
				pt.Outcomes[k].Add(x)
				if s.ref != nil {
					pt.Diffs[k].Add(x - s.refs[k][i])
					pt.Pairs[k].Add(s.refs[k][i], x)
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
	}
	s.n = reps
	return nil
}

// Replications is the number of replications simulated so far at each
// point.
func (s *Sweeper) Replications() int { return s.n }

// HalfWidth is the largest, over the points, 95% interval half-width of the
// mean of the outcome named name or, with a reference, of its mean paired
// difference against the reference; NaN if any is undefined or the sweep
// does not record that outcome. It is what a sweep grown to a precision
// measures.
func (s *Sweeper) HalfWidth(name string) float64 {
	k := slices.IndexFunc(s.res.Outcomes, func(o Outcome) bool { return o.Name == name })
	if k < 0 {
		return math.NaN()
	}
	worst := 0.0
	for p := range s.res.Points {
		pt := &s.res.Points[p]
		h := momentsInterval(&pt.Outcomes[k].Moments, 0.95).HalfWidth()
		if s.ref != nil {
			h = pt.Pairs[k].Paired().CI95.HalfWidth()
		}
		worst = math.Max(worst, h)
	}
	return worst
}

// Result ends the sweep and returns it. Quantiles are read only from the
// result, and reading them changes what later replications make of an
// accumulator (see StudyRun.Study), so a sweep cannot be extended once it
// has ended.
func (s *Sweeper) Result() *SweepResult {
	s.done = true
	s.res.Replications = s.n
	return s.res
}

// SweepPoints is the scenario run at each point of the grid spanned by the
// axes, the first axis varying slowest, each named by its values and
// validated: what Sweep will run, so that a command can check a sweep
// before it starts. Its errors are in the arguments: an axis out of its
// parameter's range, a key on two axes, a point that breaks a relation
// between parameters.
func SweepPoints(base sim.Config, axes []Axis) ([]Scenario, error) {
	scs, _, err := sweepGrid(base, axes)
	return scs, err
}

// sweepGrid is SweepPoints with each point's values on the axes.
func sweepGrid(base sim.Config, axes []Axis) ([]Scenario, [][]float64, error) {
	if len(axes) == 0 {
		return nil, nil, fmt.Errorf("sweep: no axis")
	}
	seen := map[string]bool{}
	grid := make([][]float64, len(axes))
	points := 1
	for i, a := range axes {
		if err := a.Validate(); err != nil {
			return nil, nil, fmt.Errorf("sweep: axis %s: %w", a, err)
		}
		if seen[a.Key] {
			return nil, nil, fmt.Errorf("sweep: %s is on more than one axis", a.Key)
		}
		seen[a.Key] = true
		grid[i] = a.Values()
		points *= a.Steps
	}
	scs, values := make([]Scenario, points), make([][]float64, points)
	for p := range scs {
		values[p] = gridPoint(grid, p)
		cfg := base
		name := make([]string, len(axes))
		for i, a := range axes {
			var err error
			if cfg, err = cfg.Fix(a.Key, values[p][i]); err != nil { // no longer drawn, if it was uncertain
				return nil, nil, fmt.Errorf("sweep: %w", err)
			}
			name[i] = a.Key + "=" + strconv.FormatFloat(values[p][i], 'g', -1, 64)
		}
		scs[p] = Scenario{Name: strings.Join(name, ","), Config: cfg}
		if err := cfg.Validate(); err != nil {
			return nil, nil, fmt.Errorf("sweep: point %d (%s): %w", p, scs[p].Name, err)
		}
	}
	return scs, values, nil
}

// stage returns opt for run k of n runs with the same replication count, its
// Progress counting the replications of all n runs.
func stage(opt sim.Options, k, n int) sim.Options {
	outer := opt.Progress
	if outer == nil {
		return opt
	}
	opt.Progress = func(done, total int) { outer(k*total+done, n*total) }
	return opt
}

// gridPoint is point p of the grid, the first axis varying slowest.
func gridPoint(grid [][]float64, p int) []float64 {
	v := make([]float64, len(grid))
	for i := len(grid) - 1; i >= 0; i-- {
		v[i] = grid[i][p%len(grid[i])]
		p /= len(grid[i])
	}
	return v
}
