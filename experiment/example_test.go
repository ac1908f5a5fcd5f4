package experiment_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/retsim/retsim/experiment"
	"github.com/retsim/retsim/sim"
)

// A factorial design: every combination of the factors' values, the
// first factor varying slowest.
func ExampleDesign_Points() {
	d := experiment.Design{Kind: experiment.Factorial, Factors: []experiment.Factor{
		{Key: "policy.giving", Values: []float64{0, 1}},
		{Key: "switching.cost", Values: []float64{0.1, 0.5}},
	}}
	pts, err := d.Points(1)
	if err != nil {
		panic(err)
	}
	fmt.Println(pts)
	// Output: [[0 0.1] [0 0.5] [1 0.1] [1 0.5]]
}

// Sobol indices of a function of two inputs on the unit square, y = u1 +
// 2 u2: the second explains 4/5 of the variance, and neither interacts.
func ExampleSobolIndices() {
	const n = 1024
	u, err := experiment.SaltelliSample(n, 2, 1)
	if err != nil {
		panic(err)
	}
	y := make([]float64, len(u))
	for i, x := range u {
		y[i] = x[0] + 2*x[1]
	}
	idx, err := experiment.SobolIndices(y, 2, 500, 1)
	if err != nil {
		panic(err)
	}
	for i, x := range idx {
		fmt.Printf("u%d: S1 %.1f, ST %.1f\n", i+1, x.S1, x.ST)
	}
	// Output:
	// u1: S1 0.2, ST 0.2
	// u2: S1 0.8, ST 0.8
}

// A Latin hypercube of four points in two dimensions: each quarter of
// each axis holds one point.
func ExampleLatinHypercubeSample() {
	for _, p := range experiment.LatinHypercubeSample(4, 2, 7) {
		fmt.Println(math.Floor(p[0]*4), math.Floor(p[1]*4))
	}
	// Output:
	// 3 0
	// 2 1
	// 0 2
	// 1 3
}

// An experiment evaluated in two parts and summarised together, as shards
// run apart would be.
func ExamplePlan_Evaluate() {
	base := sim.Default()
	base.Population.Initial, base.Horizon.Periods, base.Replications = 100, 6, 2
	d := experiment.Design{Kind: experiment.LatinHypercube, Samples: 4, Factors: []experiment.Factor{
		{Key: "policy.giving", Min: 0, Max: 1},
	}}
	plan, err := experiment.NewPlan("small", base, d, []string{"final_active"}, 0)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	first, err := plan.Evaluate(ctx, []int{0, 1}, sim.Options{})
	if err != nil {
		panic(err)
	}
	rest, err := plan.Evaluate(ctx, []int{2, 3}, sim.Options{})
	if err != nil {
		panic(err)
	}
	res, err := plan.Summarize(append(rest, first...))
	if err != nil {
		panic(err)
	}
	fmt.Println(len(res.Stats), "points,", len(res.Points[0].Values[0]), "replications each")
	// Output: 4 points, 2 replications each
}

// Results of some points written in one place (a shard, say) and read in
// another, where Summarize completes the experiment.
func ExampleReadPointResults() {
	base := sim.Default()
	base.Population.Initial, base.Horizon.Periods, base.Replications = 100, 6, 2
	d := experiment.Design{Kind: experiment.Factorial, Factors: []experiment.Factor{
		{Key: "policy.giving", Values: []float64{0, 1}},
	}}
	plan, err := experiment.NewPlan("small", base, d, []string{"final_active"}, 0)
	if err != nil {
		panic(err)
	}
	results, err := plan.Evaluate(context.Background(), []int{1}, sim.Options{})
	if err != nil {
		panic(err)
	}
	var file bytes.Buffer
	if err := experiment.WritePointResults(&file, plan, results); err != nil {
		panic(err)
	}
	fmt.Print(strings.SplitAfter(file.String(), "\n")[0])
	back, err := experiment.ReadPointResults(&file, plan)
	if err != nil {
		panic(err)
	}
	fmt.Println(back[0].Point, len(back[0].Values[0]), back[0].Values[0][0] == results[0].Values[0][0])
	// Output:
	// point,policy.giving,replication,outcome,value
	// 1 2 true
}
