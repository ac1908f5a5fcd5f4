package sim

import (
	"context"
	"math"
	"testing"
)

// TestCohortQuantilesAtTheAgesRead: a cohort after the first keeps
// quantiles of survival and value at the ages its customers reach at the
// horizon only, [T-(k+1)span, T-k span) for cohort k, and the first cohort
// at every age; elsewhere they are NaN. With one replication each quantile
// is that replication's value, the documented survival Alive/Exposed, so
// quantiles kept at the wrong ages, or read from the wrong ones, fail.
func TestCohortQuantilesAtTheAgesRead(t *testing.T) {
	cfg := Default()
	cfg.Population.Initial = 300
	cfg.Horizon.Periods, cfg.Horizon.PeriodsPerYear = 36, 12 // three yearly cohorts
	cfg.Replications = 1
	res, err := Run(context.Background(), "test", cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := NewCollector("test", cfg)
	c.Add(&res.Reps[0])
	ct := &res.Reps[0].Cohorts
	T, span := cfg.Horizon.Periods, 12
	checked := map[int]bool{}
	for _, cs := range c.Summary().Cohorts {
		lo, hi := T-(cs.Cohort+1)*span, T-cs.Cohort*span
		if cs.Cohort == 0 {
			lo = 0
		}
		i := cs.Cohort*int(NumChannels) + int(cs.Channel)
		for a, st := range cs.Survival {
			k := i*ct.Ages + a
			kept := a >= lo && a < hi
			switch {
			case kept && ct.Exposed[k] > 0:
				if want := ct.Alive[k] / ct.Exposed[k]; st.P50 != want || st.P05 != want {
					t.Errorf("cohort %d, %s, age %d: survival p05 %v, p50 %v, want %v", cs.Cohort, cs.Channel, a, st.P05, st.P50, want)
				}
				checked[cs.Cohort] = true
			case !kept && !math.IsNaN(st.P50):
				t.Errorf("cohort %d, %s, age %d: survival p50 %v outside the ages kept [%d, %d), want NaN", cs.Cohort, cs.Channel, a, st.P50, lo, hi)
			}
		}
	}
	for k := range 3 {
		if !checked[k] {
			t.Errorf("cohort %d: no age with customers checked", k)
		}
	}
}
