package compare_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/sim"
)

// tiny is a small world for the examples: 300 customers, 12 periods, 4
// replications.
func tiny() sim.Config {
	c := sim.Default()
	c.Population.Initial = 300
	c.Horizon.Periods = 12
	c.Replications = 4
	c.Market.PaidPerPeriod = 20
	return c
}

func ExampleParseAxis() {
	a, err := compare.ParseAxis("policy.giving=0:1:5")
	fmt.Println(a.Key, a.Values(), err)
	_, err = compare.ParseAxis("discounts.months=1:4:3")
	fmt.Println(err)
	// Output:
	// policy.giving [0 0.25 0.5 0.75 1] <nil>
	// axis "discounts.months=1:4:3": grid point: discounts.months: must be a whole number, got 2.5 (choose steps so that (to - from)/(steps - 1) is whole)
}

func ExampleCrossoverPeriod() {
	reference := []float64{0, 10, 20, 30, 40, 50}
	scenario := []float64{-20, 5, 21, 29, 45, 60} // ahead in period 2, behind in 3, ahead for good from 4
	fmt.Println(compare.CrossoverPeriod(reference, scenario))
	fmt.Println(compare.CrossoverPeriod(reference, []float64{1, 11, 21, 31, 41, 49}))
	// Output:
	// 4 true
	// 6 false
}

func ExamplePair() {
	// One outcome in 5 replications of a reference and of a scenario run
	// with the same seed; the NaN replication is left out.
	reference := []float64{100, 120, 90, 110, math.NaN()}
	scenario := []float64{104, 123, 95, 110, 130}
	p := compare.Pair(reference, scenario)
	fmt.Printf("n %d, mean difference %.2f, 95%% interval [%.2f, %.2f]\n", p.N, p.Mean, p.CI95.Low, p.CI95.High)
	fmt.Printf("beats in %.0f%%, ties in %.0f%%, variance reduction %.0f\n", 100*p.PBeats, 100*p.PTies, p.VarianceReduction)
	// Output:
	// n 4, mean difference 3.00, 95% interval [-0.44, 6.44]
	// beats in 75%, ties in 25%, variance reduction 65
}

func ExampleCompare() {
	taking, giving := tiny(), tiny()
	taking.Policy.Giving, giving.Policy.Giving = 0, 1
	results, err := compare.Simulate(context.Background(), []compare.Scenario{{Name: "taking", Config: taking}, {Name: "giving", Config: giving}}, sim.Options{})
	if err != nil {
		panic(err)
	}
	c, err := compare.Compare(results)
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Reference, c.Scenarios, c.Replications, c.CommonRandomNumbers)
	for _, d := range c.Outcomes[:2] {
		fmt.Println(d.Outcome, d.Unit, d.Diff.N)
	}
	// The CLI writes these with output.WriteAll(dir, compare.ComparisonFiles(c)).
	for _, f := range compare.ComparisonFiles(c) {
		fmt.Println(f.Name)
	}
	// Output:
	// taking [giving] 4 true
	// value currency 4
	// cumulative_discounted_profit currency 4
	// comparison.csv
	// crossover.csv
	// comparison_series.csv
	// comparison.json
}

func ExampleSweep() {
	human, err := compare.ParseAxis("policy.human_share=0:1:3")
	if err != nil {
		panic(err)
	}
	skill, err := compare.ParseAxis("policy.staff_skill=0:1:2")
	if err != nil {
		panic(err)
	}
	s, err := compare.Sweep(context.Background(), tiny(), []compare.Axis{human, skill}, []string{"total_cost_service"}, sim.Options{})
	if err != nil {
		panic(err)
	}
	for _, p := range s.Points {
		fmt.Println(p.Values, p.Outcomes[0].N())
	}
	// Output:
	// [0 0] 4
	// [0 1] 4
	// [0.5 0] 4
	// [0.5 1] 4
	// [1 0] 4
	// [1 1] 4
}

func ExampleSensitivity() {
	keys := []string{"pricing.list_price", "policy.giving", "market.cac"}
	t, err := compare.Sensitivity(context.Background(), tiny(), keys, "cumulative_profit", sim.Options{})
	if err != nil {
		panic(err)
	}
	for _, b := range t.Bars {
		fmt.Println(b.Key, b.Low, b.High, b.Basis)
	}
	for _, s := range t.Skipped {
		fmt.Println("skipped", s.Key+":", s.Reason)
	}
	// Output:
	// pricing.list_price 24 36 step
	// policy.giving 0 1 allowed
	// skipped market.cac: base value 0 and range open-ended (allowed >= 0, at most 1e+09): 20% of 0 does not move it; give it an uncertain: distribution in the scenario to move it over that
}

func ExampleSensitivityAdaptive() {
	cfg := tiny()
	cfg.Replications = 40
	keys := []string{"pricing.list_price", "service.self_cost"}
	t, err := compare.SensitivityAdaptive(context.Background(), cfg, keys, "cumulative_profit", compare.Adaptive{Top: 1}, sim.Options{})
	if err != nil {
		panic(err)
	}
	// The first look runs one replication of every end; list price, far
	// ahead, is settled first at the second.
	fmt.Printf("%s first; settled %v after %d of at most %d replications, %d runs\n", t.Bars[0].Key, t.Settled, t.Replications, t.Cap, t.Runs)
	// Output:
	// pricing.list_price first; settled true after 2 of at most 40 replications, 10 runs
}

func ExampleToPrecision() {
	reference, scenario := tiny(), tiny()
	scenario.Policy.HumanShare = 0.8
	scs := []compare.Scenario{{Name: "baseline", Config: reference}, {Name: "human touch", Config: scenario}}
	run, err := compare.NewStudyRun(scs, compare.Outcomes[0])
	if err != nil {
		panic(err)
	}
	// Each step adds replications to those already run; the target is
	// out of reach, so the run stops at the cap of 16.
	p, err := compare.ToPrecision(context.Background(), 4, 16, 1e-9, func(ctx context.Context, reps int) (float64, error) {
		err := run.Extend(ctx, reps, sim.Options{})
		return run.PairedHalfWidth(), err
	})
	if err != nil {
		panic(err)
	}
	st := run.Study()
	fmt.Printf("reached %v: %d replications, each run once, in %d steps; the comparison has %d\n",
		p.Reached, p.Replications, p.Looks, st.Comparison.Replications)
	// Output:
	// reached false: 16 replications, each run once, in 3 steps; the comparison has 16
}

func ExampleWriteComparisonTable() {
	reference, scenario := tiny(), tiny()
	scenario.Policy.HumanShare = 0.8
	// A study keeps aggregates only, however many replications it runs.
	scs := []compare.Scenario{{Name: "baseline", Config: reference}, {Name: "human touch", Config: scenario}}
	st, err := compare.RunStudy(context.Background(), scs, compare.Outcomes[0], sim.Options{})
	if err != nil {
		panic(err)
	}
	if err := compare.WriteComparisonTable(os.Stdout, st.Comparison); err != nil {
		panic(err)
	}
}

func ExampleDecompose() {
	taking, giving := tiny(), tiny()
	taking.Policy = sim.Policy{Giving: 0, Generosity: 0, HumanShare: 0.1, StaffSkill: 0.2}
	giving.Policy = sim.Policy{Giving: 1, Generosity: 1, HumanShare: 0.8, StaffSkill: 0.9}
	// The default groups are each policy dial and each other section in
	// which the two differ; here the four dials. ParseGroups chooses others.
	for _, spec := range []string{"", "policy.giving+taking+giving,policy.generosity"} {
		groups := compare.DefaultGroups(taking, giving)
		if spec != "" {
			groups, _ = compare.ParseGroups(spec, taking, giving)
		}
		d, err := compare.Decompose(context.Background(), compare.Scenario{Name: "taking", Config: taking},
			compare.Scenario{Name: "giving", Config: giving}, groups, sim.Options{})
		if err != nil {
			panic(err)
		}
		o := d.Outcomes[0] // cumulative discounted profit
		sum := 0.0
		for i, p := range o.Parts {
			fmt.Println(p.Group, d.Groups[i].Keys)
			sum += p.Mean
		}
		fmt.Printf("%d configurations, %d replications; the parts add up to the difference: %t\n",
			d.Configurations(), o.Total.N, math.Abs(sum-o.Total.Mean) <= 1e-9*math.Abs(o.Total.Mean))
		// The CLI writes decomposition.csv with
		// output.WriteAll(dir, compare.DecompositionFiles(d)).
	}
	// Output:
	// policy.giving [policy.giving]
	// policy.generosity [policy.generosity]
	// policy.human_share [policy.human_share]
	// policy.staff_skill [policy.staff_skill]
	// 16 configurations, 4 replications; the parts add up to the difference: true
	// policy.giving+taking+giving [policy.giving]
	// policy.generosity [policy.generosity]
	// other [policy.human_share policy.staff_skill]
	// 8 configurations, 4 replications; the parts add up to the difference: true
}

func ExampleOutcomeNames() {
	names := compare.OutcomeNames()
	fmt.Println(names[:3])
	for _, n := range names {
		if _, err := compare.OutcomeByName(n); err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// [value cumulative_discounted_profit cumulative_profit]
}

// StudyFrom aggregates replications from any Source: here a run's
// replications kept in memory and replayed in order, as a merge replays
// them from shards, give the same study as simulating.
func ExampleStudyFrom() {
	scs := []compare.Scenario{{Name: "tiny", Config: tiny()}}
	var kept [][]sim.Replication
	err := sim.Stream(context.Background(), scs, sim.Options{}, func(_ int, reps []*sim.Replication) error {
		kept = append(kept, []sim.Replication{*reps[0]})
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	replay := func(_ context.Context, _ []sim.Scenario, lo, hi int, _ sim.Options, visit func(int, []*sim.Replication) error) error {
		for i := lo; i < hi; i++ {
			if err := visit(i, []*sim.Replication{&kept[i][0]}); err != nil {
				return err
			}
		}
		return nil
	}
	target, _ := compare.OutcomeByName("final_active")
	simulated, err := compare.RunStudy(context.Background(), scs, target, sim.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	replayed, err := compare.StudyFrom(context.Background(), replay, scs, target, sim.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	a, _ := json.Marshal(simulated.Summaries)
	b, _ := json.Marshal(replayed.Summaries)
	fmt.Println(bytes.Equal(a, b))
	// Output:
	// true
}
