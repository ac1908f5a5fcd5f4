package compare

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/retsim/retsim/sim"
)

func TestToPrecision(t *testing.T) {
	for _, tc := range []struct {
		name       string
		start, max int
		target     float64
		halfWidth  func(reps int) float64
		calls      []int
		reached    bool
	}{
		// 100/sqrt(reps): 5.59 at 320, 3.95 at 640.
		{"reached", 10, 1000, 5, func(r int) float64 { return 100 / math.Sqrt(float64(r)) }, []int{10, 20, 40, 80, 160, 320, 640}, true},
		{"capped", 10, 1000, 1, func(r int) float64 { return 100 / math.Sqrt(float64(r)) }, []int{10, 20, 40, 80, 160, 320, 640, 1000}, false},
		{"at once", 50, 50, 20, func(r int) float64 { return 100 / math.Sqrt(float64(r)) }, []int{50}, true},
		{"undefined never reaches", 1, 4, 1, func(r int) float64 { return math.NaN() }, []int{1, 2, 4}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls []int
			p, err := ToPrecision(context.Background(), tc.start, tc.max, tc.target, func(_ context.Context, reps int) (float64, error) {
				calls = append(calls, reps)
				return tc.halfWidth(reps), nil
			})
			if err != nil {
				t.Fatal(err)
			}
			last := calls[len(calls)-1]
			if !reflect.DeepEqual(calls, tc.calls) || p.Reached != tc.reached || p.Replications != last || p.Looks != len(calls) || p.Target != tc.target {
				t.Errorf("calls %v, precision %+v; want calls %v, reached %v", calls, p, tc.calls, tc.reached)
			}
		})
	}
}

func TestToPrecisionRejects(t *testing.T) {
	ok := func(context.Context, int) (float64, error) { return 1, nil }
	failed := errors.New("disk full")
	for _, tc := range []struct {
		name       string
		start, max int
		target     float64
		measure    func(context.Context, int) (float64, error)
		want       string
	}{
		{"start 0", 0, 10, 1, ok, "need 1 <= start <= maximum"},
		{"max below start", 20, 10, 1, ok, "got start 20, maximum 10"},
		{"target 0", 10, 20, 0, ok, "must be a finite number > 0, got 0"},
		{"target NaN", 10, 20, math.NaN(), ok, "got NaN"},
		{"measure fails", 10, 20, 1, func(context.Context, int) (float64, error) { return 0, failed }, "precision at 10 replications: disk full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ToPrecision(context.Background(), tc.start, tc.max, tc.target, tc.measure); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// Growing a comparison stops at the first look whose half-width meets the
// target, and the comparison is of that look's replications.
//
// The test needs no statistical tolerance: replication i depends only on
// the seed and i, so the grown run's half-width at n replications is that
// of the first n of one run of 128, which the test computes on its own
// (the outcome of each replication, paired, then Pair's t interval). The
// expected stop is thus known exactly, and the test fails for a correct
// implementation only if the two computations of one half-width differ by
// more than the 1e-9 (relative) left for rounding: its failure probability
// is 0, not merely small.
//
// The target is the half-width at 128 replications (and 1e-9 of it), with
// a cap of 256, so that a rule that runs to the cap, stops at its first
// look, or one look late, fails. The looks are at 16, 32, 64, 128. How
// likely the stop falls before 128, where such rules are told apart less
// well: the half-width at n is t(n-1) s_n / sqrt n, 0.533 s_16 and
// 0.175 s_128 (t quantiles 2.131 and 1.979), so stopping at 16 needs
// s_16/sigma <= 0.33 (s_128 near sigma), that is a chi-square of 15 degrees of
// freedom below 15 x 0.33^2 = 1.6: probability about 1e-5; at 32
// (0.361 s_32) chi-square(31) below 7.3, about 1e-6; at 64 (0.250 s_64)
// s_64/s_128 <= 0.70 on 64 shared replications, about F(63, 63) below 0.33,
// under 1e-4. Each case is still checked exactly.
func TestComparisonGrownToPrecision(t *testing.T) {
	const (
		outcome     = "cumulative_discounted_profit"
		start, last = 16, 128 // the first look; the look whose half-width is the target
		maxReps     = 2 * last
	)
	base := small()
	base.Population.Initial = 1000
	base.Replications = start
	alt := base
	alt.Policy.HumanShare = 0.7
	scs := []Scenario{{Name: "reference", Config: base}, {Name: "more human", Config: alt}}
	ctx := context.Background()

	// The outcome of each of the first last replications of each scenario.
	o, err := OutcomeByName(outcome)
	if err != nil {
		t.Fatal(err)
	}
	values := [2][]float64{make([]float64, last), make([]float64, last)}
	oracle := withReplications(scs, last)
	err = runTasks(ctx, oracle, []task{{0, 0, last}, {1, 0, last}}, sim.Options{Workers: 2}, func(k, i int, rep *sim.Replication) {
		values[k][i] = o.In(&oracle[k].Config, rep)
	})
	if err != nil {
		t.Fatal(err)
	}
	halfWidth := func(n int) float64 { return Pair(values[0][:n], values[1][:n]).CI95.HalfWidth() }
	target := halfWidth(last) * (1 + 1e-9)
	want, looks := 0, 0
	for n := start; want == 0; n *= 2 {
		looks++
		if halfWidth(n) <= target {
			want = n
		}
	}

	st, p, _, err := compareToPrecision(ctx, scs, outcome, target, maxReps)
	if err != nil {
		t.Fatal(err)
	}
	c := st.Comparison
	t.Logf("target %.0f: reached %v, %.0f at %d replications in %d looks; want %d in %d", p.Target, p.Reached, p.HalfWidth, p.Replications, p.Looks, want, looks)
	if !p.Reached || p.Replications != want || p.Looks != looks || c.Replications != want {
		t.Fatalf("precision %+v, comparison of %d replications; want the target reached at %d replications, look %d", p, c.Replications, want, looks)
	}
	if h := halfWidth(want); math.Abs(p.HalfWidth-h) > 1e-9*h {
		t.Errorf("half-width %.10g at %d replications, want %.10g", p.HalfWidth, want, h)
	}
	for _, d := range c.Outcomes {
		if d.Outcome == outcome && d.Diff.CI95.HalfWidth() > p.Target {
			t.Errorf("final half-width %g above the target %g", d.Diff.CI95.HalfWidth(), p.Target)
		}
	}
}

// A study grown step by step to a precision simulates each replication
// once and ends with the study of one run of the final count, bit for bit:
// past ExactQuantiles, where the accumulators switch to a t-digest, and
// with uncertain parameters, whose central runs grow alongside.
func TestStudyGrownEqualsOneRun(t *testing.T) {
	ref := small()
	ref.Population.Initial, ref.Horizon.Periods, ref.Replications = 100, 6, 50
	alt := ref
	alt.Policy.Giving = 0.8
	alt.Uncertain = []sim.Uncertain{{Key: "pricing.list_price", Dist: sim.Dist{Kind: sim.DistUniform, Min: 25, Max: 45}}}
	scs := []Scenario{{Name: "reference", Config: ref}, {Name: "giving", Config: alt}}
	maxReps := 2*sim.ExactQuantiles + 13 // 50, 100, 200, 400, 413
	st, p, simulated, err := compareToPrecision(context.Background(), scs, "value", 1e-9, maxReps)
	if err != nil {
		t.Fatal(err)
	}
	if p.Replications != maxReps || p.Looks != 5 || simulated != maxReps {
		t.Fatalf("grew to %d replications in %d steps, simulating %d; want %d in 5 steps, each once", p.Replications, p.Looks, simulated, maxReps)
	}
	o, _ := OutcomeByName("value")
	want, err := RunStudy(context.Background(), withReplications(scs, maxReps), o, sim.Options{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := studyText(st), studyText(want); got != want {
		t.Errorf("the grown study differs from one run of %d replications", maxReps)
	}
	run, _ := NewStudyRun(scs, o)
	run.Study()
	if err := run.Extend(context.Background(), 10, sim.Options{}); err == nil {
		t.Error("a study extended after it ended: no error")
	}
}

// studyText writes every number of st in the shortest form that reads
// back exactly, NaN as NaN, so that two studies are the same bit for bit
// (NaN included, which reflect.DeepEqual never finds equal) when their
// texts are.
func studyText(st *Study) string {
	s := fmt.Sprintf("%v %v", *st.Comparison, st.CustomerMonths)
	for _, sm := range st.Summaries {
		s += fmt.Sprintf(" %v", *sm)
	}
	a := *st.Assumptions
	a.Outcomes, a.Target = nil, Outcome{Name: a.Target.Name} // functions print as addresses
	return s + fmt.Sprintf(" %v", a)
}

// compareToPrecision grows a comparison of scs with ToPrecision and
// StudyRun.PairedHalfWidth, as retsim compare --precision does, and counts
// the replications simulated.
func compareToPrecision(ctx context.Context, scs []Scenario, outcome string, target float64, maxReps int) (*Study, Precision, int, error) {
	o, err := OutcomeByName(outcome)
	if err != nil {
		return nil, Precision{}, 0, err
	}
	run, err := NewStudyRun(scs, o)
	if err != nil {
		return nil, Precision{}, 0, err
	}
	simulated, done := 0, 0
	opt := sim.Options{Workers: 2, Progress: func(d, _ int) { simulated += d - done; done = d }}
	p, err := ToPrecision(ctx, scs[0].Config.Replications, maxReps, target, func(ctx context.Context, reps int) (float64, error) {
		done = 0
		err := run.Extend(ctx, reps, opt)
		return run.PairedHalfWidth(), err
	})
	if err != nil {
		return nil, Precision{}, 0, err
	}
	return run.Study(), p, simulated, nil
}

// withReplications is scs with reps replications each.
func withReplications(scs []Scenario, reps int) []Scenario {
	grown := slices.Clone(scs)
	for k := range grown {
		grown[k].Config.Replications = reps
	}
	return grown
}
