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
	Replications int     // the final replication count
	Reached      bool    // HalfWidth <= Target; false: stopped at the cap
	Runs         int     // how many times the replications were run
}

// ToPrecision grows a run until it is precise enough. It calls measure with
// replication counts start, 2 start, 4 start, ..., the last capped at
// maxReps, until measure reports a 95% interval half-width at or below
// target or the count reaches maxReps. measure runs the replications 0..reps-1 and returns the
// half-width; an undefined (NaN) half-width never meets the target.
//
// A replication's random numbers derive from (seed, replication, customer,
// process), so the first replications of a larger run are those of the
// smaller one: doubling reruns them (at most doubling the total work) but
// never changes them, and the result depends only on the configuration,
// start, target and maxReps. Stopping when an interval is narrow enough makes
// the final interval slightly optimistic; with doubling, few looks are
// taken.
func ToPrecision(ctx context.Context, start, maxReps int, target float64, measure func(ctx context.Context, reps int) (float64, error)) (Precision, error) {
	if start < 1 || maxReps < start {
		return Precision{}, fmt.Errorf("precision: need 1 <= start <= maximum replications, got start %d, maximum %d", start, maxReps)
	}
	if !(target > 0) || math.IsInf(target, 0) {
		return Precision{}, fmt.Errorf("precision: target half-width must be a finite number > 0, got %v", target)
	}
	p := Precision{Target: target}
	for reps := start; ; reps = min(2*reps, maxReps) {
		h, err := measure(ctx, reps)
		if err != nil {
			return Precision{}, fmt.Errorf("precision at %d replications: %w", reps, err)
		}
		p.HalfWidth, p.Replications, p.Runs = h, reps, p.Runs+1
		p.Reached = h <= target
		if p.Reached || reps == maxReps {
			return p, nil
		}
	}
}
