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

// Cohorts are yearly up to MaxCohorts years of horizon; beyond that each
// spans the fewest whole years that keep them within MaxCohorts: periods
// per year x ceil(years / MaxCohorts), years = ceil(periods / periods per
// year), worked out here by counting, at and around the boundaries. The
// cohort table has ceil(periods / span) cohorts, never more than
// MaxCohorts.
func TestCohortPeriods(t *testing.T) {
	for _, h := range []Horizon{
		{Periods: 1, PeriodsPerYear: 12}, {Periods: 12, PeriodsPerYear: 12}, {Periods: 13, PeriodsPerYear: 12},
		{Periods: 119, PeriodsPerYear: 12}, {Periods: 120, PeriodsPerYear: 12}, {Periods: 121, PeriodsPerYear: 12},
		{Periods: 240, PeriodsPerYear: 12}, {Periods: 241, PeriodsPerYear: 12}, {Periods: 600, PeriodsPerYear: 12},
		{Periods: 10, PeriodsPerYear: 1}, {Periods: 11, PeriodsPerYear: 1}, {Periods: 10000, PeriodsPerYear: 1},
		{Periods: 52 * 10, PeriodsPerYear: 52}, {Periods: 52*10 + 1, PeriodsPerYear: 52},
	} {
		years := 0
		for covered := 0; covered < h.Periods; covered += h.PeriodsPerYear {
			years++
		}
		spanYears := 1
		for spanYears*MaxCohorts < years {
			spanYears++
		}
		want := spanYears * h.PeriodsPerYear
		if got := CohortPeriods(h); got != want {
			t.Errorf("%d periods of %d a year (%d years): cohorts of %d periods, want %d", h.Periods, h.PeriodsPerYear, years, got, want)
		}
		ct := newCohortTable(h)
		if cohorts := (h.Periods + want - 1) / want; ct.Cohorts != cohorts || ct.Cohorts > MaxCohorts {
			t.Errorf("%d periods of %d a year: %d cohorts, want %d, at most %d", h.Periods, h.PeriodsPerYear, ct.Cohorts, cohorts, MaxCohorts)
		}
	}
}
