package experiment

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/retsim/retsim/sim"
)

// PointResult is what the replications of one design point gave: the
// state from which every output of the experiment is computed, so that
// points evaluated apart (in other processes, in any order) give the same
// outputs as points evaluated together.
type PointResult struct {
	Point int // the point's index in Plan.Points
	// Values[k][r] is outcome k (of Plan.Outcomes) in replication r; NaN
	// where the replication cannot measure it.
	Values [][]float64
}

// Evaluate simulates each of the given design points with all its
// replications (sim.Stream) and returns their results in the order given.
// When the points have fewer replications than opt.Workers, several
// points run at once, one worker each; otherwise one after another, with
// all the workers. A point's result depends only on the plan and the
// point, never on opt or on the other points evaluated with it;
// opt.Progress counts the replications of all the points.
func (p *Plan) Evaluate(ctx context.Context, points []int, opt sim.Options) ([]PointResult, error) {
	for _, i := range points {
		if i < 0 || i >= len(p.Points) {
			return nil, fmt.Errorf("experiment: point %d: the design has points 0 to %d", i, len(p.Points)-1)
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	reps := p.Base.Replications
	concurrent := 1
	if reps < workers {
		concurrent, opt.Workers = min(workers, len(points)), 1
	}
	var mu sync.Mutex // serialises progress calls
	done, total, outer := 0, len(points)*reps, opt.Progress
	if outer != nil {
		opt.Progress = func(int, int) {
			mu.Lock()
			defer mu.Unlock()
			done++
			outer(done, total)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]PointResult, len(points))
	errs := make([]error, len(points))
	next := make(chan int)
	var wg sync.WaitGroup
	for range concurrent {
		wg.Go(func() {
			for n := range next {
				if out[n], errs[n] = p.evaluate(ctx, points[n], opt); errs[n] != nil {
					cancel()
				}
			}
		})
	}
	for n := range points {
		if ctx.Err() != nil {
			break
		}
		next <- n
	}
	close(next)
	wg.Wait()
	for _, err := range errs { // the first point's error, not a cancellation it caused
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil { // stopped before every point started
		return nil, err
	}
	return out, nil
}

// evaluate simulates point i.
func (p *Plan) evaluate(ctx context.Context, i int, opt sim.Options) (PointResult, error) {
	cfg, err := p.config(i)
	if err != nil {
		return PointResult{}, fmt.Errorf("experiment: point %d (%s): %w", i, p.PointName(i), err)
	}
	vals := make([][]float64, len(p.Outcomes))
	err = sim.Stream(ctx, []sim.Scenario{{Name: p.Scenario, Config: cfg}}, opt, func(_ int, r []*sim.Replication) error {
		for k, o := range p.Outcomes {
			vals[k] = append(vals[k], o.In(&cfg, r[0]))
		}
		return nil
	})
	if err != nil {
		return PointResult{}, fmt.Errorf("experiment: point %d (%s): %w", i, p.PointName(i), err)
	}
	return PointResult{Point: i, Values: vals}, nil
}

// All is every point of the plan, in order: what Evaluate takes to run
// the whole experiment.
func (p *Plan) All() []int {
	all := make([]int, len(p.Points))
	for i := range all {
		all[i] = i
	}
	return all
}

// Result is a finished experiment: every point's replications, their
// summaries and, for a Saltelli design, the Sobol indices.
type Result struct {
	Plan   *Plan
	Points []PointResult // in point order
	// Stats[i][k] summarises outcome k across the replications of point i.
	Stats [][]sim.Stat
	// Sobol[k][f] are factor f's indices for the mean of outcome k over
	// the replications; nil unless the design is Saltelli.
	Sobol [][]Index
}

// Summarize turns the results of every point, in any order and however
// they were evaluated, into the experiment's result. It refuses a point
// missing or given twice, and a result that does not fit the plan.
func (p *Plan) Summarize(results []PointResult) (*Result, error) {
	byPoint := make([]*PointResult, len(p.Points))
	for n := range results {
		r := &results[n]
		switch {
		case r.Point < 0 || r.Point >= len(p.Points):
			return nil, fmt.Errorf("experiment: result for point %d: the design has points 0 to %d", r.Point, len(p.Points)-1)
		case byPoint[r.Point] != nil:
			return nil, fmt.Errorf("experiment: point %d has two results", r.Point)
		case len(r.Values) != len(p.Outcomes):
			return nil, fmt.Errorf("experiment: point %d: %d outcomes, the plan has %d", r.Point, len(r.Values), len(p.Outcomes))
		}
		for k, v := range r.Values {
			if len(v) != p.Base.Replications {
				return nil, fmt.Errorf("experiment: point %d, %s: %d replications, the plan has %d", r.Point, p.Outcomes[k].Name, len(v), p.Base.Replications)
			}
		}
		byPoint[r.Point] = r
	}
	if i := slices.Index(byPoint, nil); i >= 0 {
		return nil, fmt.Errorf("experiment: point %d has no result (%d of %d points have)", i, len(results), len(p.Points))
	}
	res := &Result{Plan: p, Points: make([]PointResult, len(p.Points)), Stats: make([][]sim.Stat, len(p.Points))}
	means := make([][]float64, len(p.Outcomes)) // means[k][i]: outcome k's mean at point i
	for k := range means {
		means[k] = make([]float64, len(p.Points))
	}
	for i, r := range byPoint {
		res.Points[i] = *r
		res.Stats[i] = make([]sim.Stat, len(p.Outcomes))
		for k, v := range r.Values {
			var acc sim.Accumulator
			for _, x := range v {
				acc.Add(x)
			}
			res.Stats[i][k] = acc.Stat()
			means[k][i] = acc.Mean()
		}
	}
	if p.Design.Kind == Saltelli {
		res.Sobol = make([][]Index, len(p.Outcomes))
		for k, y := range means {
			var err error
			if res.Sobol[k], err = SobolIndices(y, len(p.Design.Factors), p.Resamples, p.Base.Seed); err != nil {
				return nil, fmt.Errorf("experiment: %s: %w", p.Outcomes[k].Name, err)
			}
		}
	}
	return res, nil
}
