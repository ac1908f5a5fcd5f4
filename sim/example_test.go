package sim_test

import (
	"context"
	"fmt"

	"github.com/retsim/retsim/sim"
)

// Run simulates replications of a configuration; Summarize aggregates them
// period by period.
func ExampleRun() {
	cfg := sim.Default() // every parameter at its documented default
	cfg.Population.Initial = 1000
	cfg.Horizon.Periods = 12
	cfg.Replications = 8
	res, err := sim.Run(context.Background(), "example", cfg, sim.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	sum := sim.Summarize(res)
	active := sum.Series(sim.Active)
	fmt.Println(len(res.Reps), "replications of", len(active), "periods")
	fmt.Println("active at the start:", active[0].Mean)
	fmt.Println("fewer a year later:", active[11].Mean < active[0].Mean)
	// Output:
	// 8 replications of 12 periods
	// active at the start: 1000
	// fewer a year later: true
}

// Stream hands each finished replication to a visitor in replication
// order; a Collector aggregates them without keeping them, so memory does
// not grow with the replications.
func ExampleStream() {
	cfg := sim.Default()
	cfg.Population.Initial = 1000
	cfg.Horizon.Periods = 12
	cfg.Replications = 300
	c := sim.NewCollector("example", cfg)
	err := sim.Stream(context.Background(), []sim.Scenario{{Name: "example", Config: cfg}}, sim.Options{}, func(_ int, reps []*sim.Replication) error {
		c.Add(reps[0])
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	sum := c.Summary()
	active := sum.Series(sim.Active)
	fmt.Println(sum.Replications, "replications collected")
	fmt.Println("a 90% band a year on:", active[11].P05 < active[11].Mean && active[11].Mean < active[11].P95)
	// Output:
	// 300 replications collected
	// a 90% band a year on: true
}

// Set changes a parameter by its key; Validate checks every range.
func ExampleConfig_Set() {
	cfg := sim.Default()
	if err := cfg.Set("policy.giving", 1.5); err != nil {
		fmt.Println(err)
	}
	fmt.Println(cfg.Validate())
	// Output:
	// policy.giving: must be in [0, 1], got 1.5
}

// Lookup describes a parameter: unit, range, default and its source.
func ExampleLookup() {
	p, _ := sim.Lookup("goodwill.negativity_bias")
	fmt.Println(p.Range(), p.Default)
	fmt.Println(p.Source)
	// Output:
	// >= 1, at most 100 2.25
	// Tversky & Kahneman (1992) loss weight 2.25; direction: Mittal, Ross & Baldasare (1998)
}
