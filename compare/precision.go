package compare

import (
	"context"
	"fmt"
	"math"
)

// Precision is how a run grown to a target precision ended.
type Precision struct {
	Target       float64 // wanted 95% interval half-width, in the outcome's unit
	HalfWidth    float64 // half-width reached at Replications; NaN if undefined
	Replications int     // the final replication count, each simulated once
	Reached      bool    // HalfWidth <= Target; false: stopped at the cap
	Looks        int     // how many times the half-width was measured, once per step
}

// ToPrecision grows a run until it is precise enough. It calls extend with
// replication counts start, 2 start, 4 start, ..., the last capped at
// maxReps, until extend reports a 95% interval half-width at or below
// target or the count reaches maxReps. extend(ctx, reps) brings the run to
// reps replications by adding replications to those it already has (see
// StudyRun.Extend and Sweeper.Extend), so each replication is simulated
// once, and returns the half-width over all of them; an undefined (NaN)
// half-width never meets the target.
//
// A replication's random numbers derive from (seed, replication, customer,
// process), and the aggregates take replications in order, so the final
// outputs are those of a run of the final count from the start: the result
// depends only on the configuration, start, target and maxReps. Stopping
// when an interval is narrow enough makes the final interval slightly
// optimistic; with doubling, few looks are taken.
func ToPrecision(ctx context.Context, start, maxReps int, target float64, extend func(ctx context.Context, reps int) (float64, error)) (Precision, error) {
	if start < 1 || maxReps < start {
		return Precision{}, fmt.Errorf("precision: need 1 <= start <= maximum replications, got start %d, maximum %d", start, maxReps)
	}
	if !(target > 0) || math.IsInf(target, 0) {
		return Precision{}, fmt.Errorf("precision: target half-width must be a finite number > 0, got %v", target)
	}
	p := Precision{Target: target}
	for reps := start; ; reps = min(2*reps, maxReps) {
		h, err := extend(ctx, reps)
		if err != nil {
			return Precision{}, fmt.Errorf("precision at %d replications: %w", reps, err)
		}
		p.HalfWidth, p.Replications, p.Looks = h, reps, p.Looks+1
		p.Reached = h <= target
		if p.Reached || reps == maxReps {
			return p, nil
		}
	}
}
