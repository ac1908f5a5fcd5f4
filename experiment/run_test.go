package experiment

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/retsim/retsim/sim"
)

// small is a quick world: few customers, a quarter.
func small(reps int) sim.Config {
	cfg := sim.Default()
	cfg.Population.Initial = 40
	cfg.Horizon.Periods = 3
	cfg.Replications = reps
	return cfg
}

// additive is a Saltelli design over pricing.unit_cost and
// service.self_cost. Neither changes what a customer does, only what
// serving it costs, so with common random numbers cumulative profit is
// revenue - unit_cost x customer-periods - self_cost x self-service
// contacts: additive (and linear) in the two.
func additive(t *testing.T, samples, reps int) *Plan {
	t.Helper()
	d := Design{Kind: Saltelli, Samples: samples, Factors: []Factor{
		{Key: "pricing.unit_cost", Min: 8, Max: 16},
		{Key: "service.self_cost", Min: 0, Max: 40},
	}}
	p, err := NewPlan("small", small(reps), d, []string{"cumulative_profit", "final_nps"}, 500)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSobolAdditiveWorld checks the indices of a retsim world whose
// outcome is additive in two parameters: the first-order indices sum to
// one and each total index equals its first-order one (no interaction),
// within their 95% bootstrap intervals; both parameters matter.
func TestSobolAdditiveWorld(t *testing.T) {
	p := additive(t, 512, 1)
	res, err := p.Summarize(must(p.Evaluate(context.Background(), p.All(), sim.Options{})))
	if err != nil {
		t.Fatal(err)
	}
	idx := res.Sobol[0]
	var sum, lo, hi float64
	for f, x := range idx {
		t.Logf("%s: S1 %.4f %v, ST %.4f %v", p.Design.Factors[f].Key, x.S1, x.S1CI95, x.ST, x.STCI95)
		sum, lo, hi = sum+x.S1, lo+x.S1CI95.Low, hi+x.S1CI95.High
		if x.S1CI95.HalfWidth() > 0.1 || x.STCI95.HalfWidth() > 0.1 {
			t.Errorf("%s: intervals %v, %v wider than +-0.1: too wide to test", p.Design.Factors[f].Key, x.S1CI95, x.STCI95)
		}
		if x.S1 < 0.2 {
			t.Errorf("%s: S1 %v: the world is meant to depend on both parameters", p.Design.Factors[f].Key, x.S1)
		}
		if math.Abs(x.ST-x.S1) > x.S1CI95.HalfWidth()+x.STCI95.HalfWidth() {
			t.Errorf("%s: interaction ST - S1 = %v beyond the intervals' half-widths", p.Design.Factors[f].Key, x.ST-x.S1)
		}
	}
	if !(lo <= 1 && 1 <= hi) {
		t.Errorf("sum of S1 = %v, interval [%v, %v] misses 1", sum, lo, hi)
	}
}

func must[T any](x T, err error) T {
	if err != nil {
		panic(err)
	}
	return x
}

// outputs renders every file of r.
func outputs(t *testing.T, r *Result) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range Files(r, true) {
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b.String()
	}
	return out
}

// TestOutputsIndependentOfWorkersAndParts checks that the outputs are the
// same bytes with 1, 2 and 4 workers (the last running points at once),
// and with the points evaluated in two parts, in reverse order, and
// summarised together.
func TestOutputsIndependentOfWorkersAndParts(t *testing.T) {
	p := additive(t, 4, 3)
	ctx := context.Background()
	one, err := p.Summarize(must(p.Evaluate(ctx, p.All(), sim.Options{Workers: 1})))
	if err != nil {
		t.Fatal(err)
	}
	want := outputs(t, one)
	two, err := p.Summarize(must(p.Evaluate(ctx, p.All(), sim.Options{Workers: 2})))
	if err != nil {
		t.Fatal(err)
	}
	four, err := p.Summarize(must(p.Evaluate(ctx, p.All(), sim.Options{Workers: 4}))) // more workers than replications: points at once
	if err != nil {
		t.Fatal(err)
	}
	all := p.All()
	half := len(all) / 2
	parts := append(must(p.Evaluate(ctx, all[half:], sim.Options{Workers: 2})), must(p.Evaluate(ctx, all[:half], sim.Options{Workers: 1}))...)
	split, err := p.Summarize(parts)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]map[string]string{"2 workers": outputs(t, two), "4 workers": outputs(t, four), "two parts": outputs(t, split)} {
		for file, w := range want {
			if got[file] != w {
				t.Errorf("%s: %s differs from 1 worker", name, file)
			}
		}
	}
	if len(want) != 3 {
		t.Errorf("files %v, want experiment.csv, replications.csv and sobol.csv", len(want))
	}
}

// TestSummarizeRefusesIncompleteResults checks that a missing or repeated
// point is refused.
func TestSummarizeRefusesIncompleteResults(t *testing.T) {
	p := additive(t, 2, 2)
	res := must(p.Evaluate(context.Background(), []int{0, 1, 2, 3, 4, 5, 6}, sim.Options{}))
	for name, rs := range map[string][]PointResult{
		"missing":  res,
		"repeated": append(res, res[0]),
	} {
		if _, err := p.Summarize(rs); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestPointResultsRoundTrip writes the results of two parts of a design
// apart, reads them back and checks that their summary has the same bytes
// as the whole run's; and that a file of another design is refused.
func TestPointResultsRoundTrip(t *testing.T) {
	p := additive(t, 3, 2)
	ctx := context.Background()
	whole, err := p.Summarize(must(p.Evaluate(ctx, p.All(), sim.Options{})))
	if err != nil {
		t.Fatal(err)
	}
	all := p.All()
	var read []PointResult
	for _, part := range [][]int{all[7:], all[:7]} {
		var b bytes.Buffer
		if err := WritePointResults(&b, p, must(p.Evaluate(ctx, part, sim.Options{}))); err != nil {
			t.Fatal(err)
		}
		rs, err := ReadPointResults(&b, p)
		if err != nil {
			t.Fatal(err)
		}
		read = append(read, rs...)
	}
	merged, err := p.Summarize(read)
	if err != nil {
		t.Fatal(err)
	}
	want, got := outputs(t, whole), outputs(t, merged)
	for file := range want {
		if got[file] != want[file] {
			t.Errorf("%s differs after writing and reading the parts", file)
		}
	}
	other := additive(t, 3, 3)
	var b bytes.Buffer
	if err := WritePointResults(&b, p, whole.Points); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadPointResults(&b, other); err == nil || !strings.Contains(err.Error(), "point 0 has 2 replications, the design 3") {
		t.Errorf("results of 2 replications read into a design of 3: %v", err)
	}
}

// TestEvaluateStopsWhenCancelled checks that a cancelled context stops
// the evaluation with its error, whether points run one after another or
// at once.
func TestEvaluateStopsWhenCancelled(t *testing.T) {
	p := additive(t, 8, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, w := range []int{1, 2} {
		if _, err := p.Evaluate(ctx, p.All(), sim.Options{Workers: w}); !errors.Is(err, context.Canceled) {
			t.Errorf("%d workers: error %v, want context.Canceled", w, err)
		}
	}
}

// TestPlanDigest: equal plans have equal digests, and a plan that differs
// in anything its outputs depend on (the scenario's name, a parameter,
// the seed, the replications, a factor's range, the samples, the
// outcomes, the resamples) has another.
func TestPlanDigest(t *testing.T) {
	type input struct {
		name      string
		cfg       sim.Config
		design    Design
		outcomes  []string
		resamples int
	}
	digest := func(edit func(*input)) string {
		t.Helper()
		in := input{"small", small(2), Design{Kind: Saltelli, Samples: 2, Factors: []Factor{{Key: "pricing.unit_cost", Min: 8, Max: 16}}}, []string{"cumulative_profit"}, 100}
		edit(&in)
		p, err := NewPlan(in.name, in.cfg, in.design, in.outcomes, in.resamples)
		if err != nil {
			t.Fatal(err)
		}
		return p.Digest()
	}
	same := func(*input) {}
	base := digest(same)
	if again := digest(same); again != base {
		t.Fatalf("one plan, two digests: %s and %s", base, again)
	}
	cases := []struct {
		name string
		edit func(*input)
	}{
		{"scenario name", func(in *input) { in.name = "other" }},
		{"parameter", func(in *input) { in.cfg.Population.Initial = 41 }},
		{"seed", func(in *input) { in.cfg.Seed++ }},
		{"replications", func(in *input) { in.cfg.Replications = 3 }},
		{"range", func(in *input) { in.design.Factors[0].Max = 17 }},
		{"samples", func(in *input) { in.design.Samples = 4 }},
		{"outcomes", func(in *input) { in.outcomes = []string{"final_nps"} }},
		{"resamples", func(in *input) { in.resamples = 200 }},
	}
	for _, c := range cases {
		if got := digest(c.edit); got == base {
			t.Errorf("%s changed, the digest did not", c.name)
		}
	}
}
