package compare

import (
	"math"
	"testing"

	"github.com/retsim/retsim/sim"
)

func TestVerdictSentence(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name  string
		diff  Paired
		cross sim.Stat
		never float64
		want  string
	}{
		{"ahead", Paired{Mean: 5.283e6, CI95: Interval{Low: 5.261e6, High: 5.304e6}, PBeats: 1}, sim.Stat{P05: 1, P50: 2, P95: 3}, 0,
			"giving is ahead of taking by 5.28 million in value [5.26, 5.30] (95% confidence interval), ahead in 100% of replications; its cumulative discounted profit is ahead for good from month 2 (median)"},
		{"behind", Paired{Mean: -4.36e6, CI95: Interval{Low: -4.38e6, High: -4.34e6}, PBeats: 0}, sim.Stat{P05: nan, P50: nan, P95: nan}, 1,
			"giving is behind taking by 4.36 million in value [4.34, 4.38] (95% confidence interval), ahead in 0% of replications; its cumulative discounted profit never overtakes for good within the horizon"},
		{"unclear", Paired{Mean: 1234, CI95: Interval{Low: -500, High: 2968}, PBeats: 0.6}, sim.Stat{P05: 4, P50: 7.5, P95: 12}, 0.25,
			"giving and taking cannot be told apart in value: difference +1,234 [-500, +2,968] (95% confidence interval), ahead in 60% of replications; its cumulative discounted profit is ahead for good from month 8 (median), but never within the horizon in 25% of replications"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := Verdict{Scenario: "giving", reference: "taking", periodName: "month",
				Outcome:   OutcomeDiff{Scenario: "giving", Outcome: "value", Unit: "currency", Diff: c.diff},
				Crossover: Crossover{Scenario: "giving", Metric: "cumulative_discounted_profit", Never: c.never, Period: c.cross}}
			if got := v.Sentence(); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}
