package compare

import (
	"fmt"
	"strings"

	"github.com/retsim/retsim/sim"
)

// Outcome is one number per replication of a scenario: a horizon value such
// as cumulative discounted profit, or a per-period metric summed or averaged
// over the horizon.
type Outcome struct {
	Name string // as in files, e.g. "cumulative_profit"
	Unit string
	Doc  string
	of   func(cfg *sim.Config, rep *sim.Replication) float64
}

// In is the outcome of one replication simulated with cfg; NaN where the
// replication cannot measure it.
func (o Outcome) In(cfg *sim.Config, rep *sim.Replication) float64 { return o.of(cfg, rep) }

// Of returns the outcome of every replication of r, in replication order.
func (o Outcome) Of(r *sim.Result) []float64 {
	xs := make([]float64, len(r.Reps))
	for i := range xs {
		xs[i] = o.In(&r.Config, &r.Reps[i])
	}
	return xs
}

// horizon is an outcome read from sim.Replication.Outcomes.
func horizon(name, unit, doc string, f func(sim.Outcomes) float64) Outcome {
	return Outcome{Name: name, Unit: unit, Doc: doc, of: func(cfg *sim.Config, rep *sim.Replication) float64 { return f(rep.Outcomes(cfg)) }}
}

// Outcomes are the key outcomes of a comparison, a sweep and the default of
// a sensitivity analysis, in the order they are reported. The first, value,
// is the headline: profit banked by the horizon plus the customers held at
// it, so that a policy that has built a larger, more loyal base is not
// judged only on what it has banked when the run stops. Its customer equity
// rests on the state frozen at the horizon (see sim.Outcomes); cumulative
// discounted profit, next, does not.
var Outcomes = []Outcome{
	horizon("value", "currency", "cumulative discounted profit plus customer equity at the horizon, at period 0",
		func(o sim.Outcomes) float64 { return o.Value }),
	horizon("cumulative_discounted_profit", "currency", "profit to the horizon, discounted to period 0",
		func(o sim.Outcomes) float64 { return o.CumulativeDiscountedProfit }),
	horizon("cumulative_profit", "currency", "profit to the horizon, undiscounted",
		func(o sim.Outcomes) float64 { return o.CumulativeProfit }),
	horizon("final_active", "customers", "customers active after the last period's churn",
		func(o sim.Outcomes) float64 { return o.FinalActive }),
	horizon("final_nps", "points", "Net Promoter Score in the last period, -100..100",
		func(o sim.Outcomes) float64 { return o.FinalNPS }),
	horizon("clv_per_acquired", "currency/customer", "lifetime value per acquired customer (margin within the horizon and expected after it), discounted to its join period; undefined when nobody was acquired",
		func(o sim.Outcomes) float64 { return o.CLV }),
	horizon("customer_equity", "currency", "expected discounted margin after the horizon of the customers active at its end, at period 0",
		func(o sim.Outcomes) float64 { return o.CustomerEquity }),
}

// Total is metric m summed over the horizon, named "total_<metric>": for a
// flow such as cost_service, the horizon's total.
func Total(m sim.Metric) Outcome {
	info := m.Info()
	return Outcome{
		Name: "total_" + info.Name,
		Unit: strings.TrimSuffix(info.Unit, "/period"),
		Doc:  "sum over the horizon of: " + info.Doc,
		of: func(_ *sim.Config, rep *sim.Replication) float64 {
			s := 0.0
			for _, row := range rep.Series {
				s += row[m]
			}
			return s
		},
	}
}

// Average is metric m averaged over the periods of the horizon, named
// "average_<metric>": for a state such as goodwill or nps, its mean level.
func Average(m sim.Metric) Outcome {
	info := m.Info()
	total := Total(m).of
	return Outcome{
		Name: "average_" + info.Name,
		Unit: info.Unit,
		Doc:  "mean over the periods of the horizon of: " + info.Doc,
		of: func(cfg *sim.Config, rep *sim.Replication) float64 {
			return total(cfg, rep) / float64(len(rep.Series))
		},
	}
}

// OutcomeByName returns the outcome with the given name: one of Outcomes, or
// total_<metric> or average_<metric> for a metric of metrics.csv
// (for example total_cost_service, average_goodwill).
func OutcomeByName(name string) (Outcome, error) {
	for _, o := range Outcomes {
		if o.Name == name {
			return o, nil
		}
	}
	for _, agg := range []struct {
		prefix string
		make   func(sim.Metric) Outcome
	}{{"total_", Total}, {"average_", Average}} {
		if rest, ok := strings.CutPrefix(name, agg.prefix); ok {
			if m, ok := sim.MetricByName(rest); ok {
				return agg.make(m), nil
			}
			return Outcome{}, fmt.Errorf("outcome %q: %q is not a metric of metrics.csv", name, rest)
		}
	}
	names := make([]string, len(Outcomes))
	for i, o := range Outcomes {
		names[i] = o.Name
	}
	return Outcome{}, fmt.Errorf("unknown outcome %q: want one of %s, or total_<metric> or average_<metric> with a metric of metrics.csv", name, strings.Join(names, ", "))
}

// OutcomeNames are the names OutcomeByName knows: those of Outcomes, then
// total_<metric> and average_<metric> for each metric of metrics.csv, in
// the metrics' order.
func OutcomeNames() []string {
	var names []string
	for _, o := range Outcomes {
		names = append(names, o.Name)
	}
	for m := sim.Metric(0); m < sim.NumMetrics; m++ {
		names = append(names, Total(m).Name, Average(m).Name)
	}
	return names
}

// outcomesByName resolves names; no names means Outcomes.
func outcomesByName(names []string) ([]Outcome, error) {
	if len(names) == 0 {
		return Outcomes, nil
	}
	outs := make([]Outcome, len(names))
	for i, n := range names {
		o, err := OutcomeByName(n)
		if err != nil {
			return nil, err
		}
		outs[i] = o
	}
	return outs, nil
}
