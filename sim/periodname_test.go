package sim

import "testing"

func TestHorizonPeriodName(t *testing.T) {
	for _, c := range []struct {
		perYear int
		want    string
	}{{12, "month"}, {4, "quarter"}, {1, "year"}, {52, "period"}, {2, "period"}} {
		if got := (Horizon{Periods: 10, PeriodsPerYear: c.perYear}).PeriodName(); got != c.want {
			t.Errorf("PeriodName with %d periods a year = %q, want %q", c.perYear, got, c.want)
		}
	}
}
