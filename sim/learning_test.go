package sim

import (
	"math"
	"strings"
	"testing"
)

// learningWorld has incidents as the only complaints (no service contacts),
// many of them, and no acquisition: complaints per active customer are the
// period's incidents per active customer.
func learningWorld() Config {
	c := neutral()
	c.Population.Initial, c.Horizon.Periods, c.Replications = 3000, 24, 20
	c.Incidents.Rate, c.Incidents.Floor = 0.3, 0.25
	c.Learning.Budget, c.Learning.ComplaintCost, c.Learning.Effect = 0.5, 20, 2
	return c
}

// TestLearningLaw checks learn against the law written out by hand:
// m' = floor + (m - floor) exp(-effect min(c, budget/complaint_cost)).
func TestLearningLaw(t *testing.T) {
	for _, tc := range []struct {
		name                        string
		budget, cost, effect, floor float64
		mult, complaints, want      float64
	}{
		{"budget binds", 1, 20, 2, 0.25, 1, 0.2, 0.25 + 0.75*math.Exp(-2*0.05)},
		{"complaints bind", 10, 20, 2, 0.25, 0.8, 0.1, 0.25 + 0.55*math.Exp(-2*0.1)},
		{"no budget", 0, 20, 2, 0.25, 1, 0.2, 1},
		{"no complaints", 1, 20, 2, 0.25, 0.6, 0, 0.6},
		{"at the floor", 1e6, 1, 50, 0.3, 0.3, 5, 0.3},
		{"strong learning stops at the floor", 1e6, 1, 1e4, 0.3, 1, 5, 0.3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Default()
			cfg.Learning.Budget, cfg.Learning.ComplaintCost, cfg.Learning.Effect, cfg.Incidents.Floor = tc.budget, tc.cost, tc.effect, tc.floor
			if got := newModel(&cfg).learn(tc.mult, tc.complaints); math.Abs(got-tc.want) > 1e-15 {
				t.Errorf("learn(%g, %g) = %.17g, want %.17g", tc.mult, tc.complaints, got, tc.want)
			}
		})
	}
}

// TestLearningRecursion: where the budget acts on fewer complaints than
// there are in every period (cap = budget/complaint_cost = 0.025 per
// customer, complaints about incidents.rate x m >= 0.075), the multiplier
// follows m(t) = floor + (1 - floor) exp(-effect cap t) whatever the draws.
// The reported incident rate must equal it, and the incidents per active
// customer in each period must match it within 4 Monte Carlo standard
// errors. Where complaints bind instead (a large budget), the reported rate
// must follow the recursion on each replication's own complaints.
func TestLearningRecursion(t *testing.T) {
	cfg := learningWorld()
	r := run(t, cfg)
	cap := cfg.Learning.Budget / cfg.Learning.ComplaintCost
	f, rate := cfg.Incidents.Floor, cfg.Incidents.Rate
	for p := 0; p < cfg.Horizon.Periods; p++ {
		m := f + (1-f)*math.Exp(-cfg.Learning.Effect*cap*float64(p))
		for i := range r.Reps {
			if got := r.Reps[i].Series[p][IncidentRate]; math.Abs(got-rate*m) > 1e-12 {
				t.Fatalf("replication %d period %d: incident rate %.15g, closed form %.15g", i, p, got, rate*m)
			}
		}
		perActive := make([]float64, len(r.Reps))
		for i := range r.Reps {
			row := &r.Reps[i].Series[p]
			perActive[i] = row[IncidentCount] / row[Active]
		}
		got, se := meanSE(perActive)
		if math.Abs(got-rate*m) > 4*se {
			t.Errorf("period %d: incidents per active %.5f, law %.5f, 4 SE = %.5f", p, got, rate*m, 4*se)
		}
	}

	cfg.Learning.Budget, cfg.Learning.Effect, cfg.Replications = 100, 3, 3 // cap 5: complaints bind
	r = run(t, cfg)
	for i := range r.Reps {
		m := 1.0
		for p, row := range r.Reps[i].Series {
			if got := row[IncidentRate]; math.Abs(got-rate*m) > 1e-12 {
				t.Fatalf("replication %d period %d: incident rate %.15g, recursion on its complaints %.15g", i, p, got, rate*m)
			}
			c := row[IncidentCount] / row[Active]
			m = f + (m-f)*math.Exp(-cfg.Learning.Effect*c)
		}
	}
}

// TestLearningFloor: strong learning drives the incident rate down to
// incidents.floor x incidents.rate and never below it; the incidents
// observed at the end match that floor within 4 standard errors.
func TestLearningFloor(t *testing.T) {
	cfg := learningWorld()
	cfg.Learning.Budget, cfg.Learning.Effect = 1000, 200
	r := run(t, cfg)
	floor := cfg.Incidents.Floor * cfg.Incidents.Rate
	last := cfg.Horizon.Periods - 1
	for i := range r.Reps {
		for p, row := range r.Reps[i].Series {
			if row[IncidentRate] < floor {
				t.Fatalf("replication %d period %d: incident rate %g below the floor %g", i, p, row[IncidentRate], floor)
			}
		}
		if got := r.Reps[i].Series[last][IncidentRate]; math.Abs(got-floor) > 1e-12 {
			t.Errorf("replication %d: incident rate at the end %g, want the floor %g", i, got, floor)
		}
	}
	perActive := make([]float64, len(r.Reps))
	for i := range r.Reps {
		row := &r.Reps[i].Series[last]
		perActive[i] = row[IncidentCount] / row[Active]
	}
	if got, se := meanSE(perActive); math.Abs(got-floor) > 4*se {
		t.Errorf("incidents per active at the end %.5f, floor %.5f, 4 SE = %.5f", got, floor, 4*se)
	}
}

// TestLearningCostIsTheBudget: the cost line is learning.budget per active
// customer in every period, and it is part of cost.
func TestLearningCostIsTheBudget(t *testing.T) {
	cfg := learningWorld()
	cfg.Replications = 2
	r := run(t, cfg)
	for i := range r.Reps {
		for p, row := range r.Reps[i].Series {
			if want := cfg.Learning.Budget * row[Active]; row[CostLearning] != want {
				t.Errorf("replication %d period %d: cost_learning %g, want budget x active %g", i, p, row[CostLearning], want)
			}
			others := row[CostVariable] + row[CostService] + row[CostIncidents] + row[CostGestures] + row[CostReferral] + row[CostAcquisition]
			if got := row[Cost] - others; math.Abs(got-row[CostLearning]) > 1e-9*row[Cost] {
				t.Errorf("replication %d period %d: cost less the other lines %g, want cost_learning %g", i, p, got, row[CostLearning])
			}
		}
	}
}

// TestLearningBudgetSweep: each step up in learning.budget lowers the
// incidents over the horizon and raises the learning cost, each by more
// than 3 standard errors of the paired difference.
func TestLearningBudgetSweep(t *testing.T) {
	cfg := learningWorld()
	cfg.Learning.Effect = 1
	var prev *Result
	for _, budget := range []float64{0, 0.2, 0.5, 1} {
		cfg.Learning.Budget = budget
		r := run(t, cfg)
		if prev != nil {
			for _, tc := range []struct {
				metric Metric
				sign   float64
			}{{IncidentCount, -1}, {CostLearning, 1}} {
				d, se := meanSE(pairedDiff(prev, r, total(tc.metric)))
				if tc.sign*d <= 3*se {
					t.Errorf("budget %g: %s changed by %.1f over the step, want a %s beyond 3 SE = %.1f", budget, tc.metric, d,
						map[float64]string{-1: "fall", 1: "rise"}[tc.sign], 3*se)
				}
			}
		}
		prev = r
	}
}

// TestCLVAtTheLearntRate: learning strong enough to reach incidents.floor
// after period 0 leaves every acquired customer (joining from period 1) with
// incidents at floor x rate for life; its lifetime value, the value after
// the horizon included, is then the closed form m(1+d)/(1+d-r) of
// TestCLVWholeLifetime at that rate, within 4 Monte Carlo standard errors,
// whatever the horizon: the horizon values survivors at the learnt rate.
func TestCLVAtTheLearntRate(t *testing.T) {
	const base = 0.9
	i := 0
	for i < len(clvWorlds) && !strings.HasPrefix(clvWorlds[i].name, "contacts and incidents") {
		i++
	}
	world := clvWorlds[i]
	for _, periods := range []int{3, 12, 40} {
		cfg := neutral()
		constantRetention(&cfg, base)
		cfg.Population.Initial, cfg.Market.PaidPerPeriod, cfg.Horizon.Periods, cfg.Replications = 500, 300, periods, 20
		world.set(&cfg)
		cfg.Incidents.Floor, cfg.Learning.Budget, cfg.Learning.Effect = 0.25, 1e4, 1e3
		learnt := cfg
		learnt.Incidents.Rate *= cfg.Incidents.Floor
		d := periodRate(&cfg)
		m, w := world.law(&learnt)
		want := m * (1 + d) / (1 + d - base*math.Exp(-w))

		res := run(t, cfg)
		clv := make([]float64, len(res.Reps))
		for k := range res.Reps {
			if p := min(1, periods-1); res.Reps[k].Series[p][IncidentRate] != learnt.Incidents.Rate {
				t.Fatalf("%d periods: incident rate %v in period 1, want the floor %v", periods, res.Reps[k].Series[p][IncidentRate], learnt.Incidents.Rate)
			}
			clv[k] = res.Reps[k].Outcomes(&cfg).CLV
		}
		if got, se := meanSE(clv); !(math.Abs(got-want) <= 4*se) {
			t.Errorf("%d periods: CLV per acquired %.4f, closed form at the learnt rate %.4f, 4 SE = %.4f", periods, got, want, 4*se)
		}
	}
}
