package sim

import (
	"fmt"
	"math"
	"testing"
)

// constantRetention sets every customer's base churn to 1 - r: Beta(k(1-r),
// kr) with k = 1e9 has a standard deviation below 1e-5.
func constantRetention(c *Config, r float64) {
	const k = 1e9
	c.Churn.Alpha, c.Churn.Beta = k*(1-r), k*r
}

// periodRate is the per-period discount rate d = (1 + annual)^(1/ppy) - 1,
// worked out here rather than taken from the engine.
func periodRate(c *Config) float64 {
	return math.Pow(1+c.Economics.DiscountRate, 1/float64(c.Horizon.PeriodsPerYear)) - 1
}

// clvWorlds are worlds where every customer keeps retention r and the same
// expected margin per period for life, so that lifetime value is the closed
// form m(1+d)/(1+d-r) (margin at the start of each period alive, period 0
// included), with customers acquired in every period of the run. margin is
// the expected margin per period of c.
var clvWorlds = []struct {
	name   string
	set    func(c *Config)
	margin func(c *Config) float64
}{
	{"no events", func(c *Config) {}, func(c *Config) float64 { return c.Pricing.ListPrice - c.Pricing.UnitCost }},
	{"service contacts that cost but move no churn", func(c *Config) {
		c.Service.ContactRate, c.Policy.HumanShare, c.Policy.StaffSkill = 0.8, 0.4, 0.5
		c.Churn.GoodwillEffect = 0 // goodwill moves, churn does not
	}, func(c *Config) float64 {
		s := &c.Service
		human := s.HumanCostBasic + (s.HumanCostSkilled-s.HumanCostBasic)*c.Policy.StaffSkill
		h := c.Policy.HumanShare
		perContact := h*human + (1-h)*(s.SelfCost+(1-s.SelfResolution)*s.Escalation*human)
		return c.Pricing.ListPrice - c.Pricing.UnitCost - s.ContactRate*perContact
	}},
}

// TestCLVWholeLifetime: with constant retention r, lifetime value per
// acquired customer is m(1+d)/(1+d-r) within 4 Monte Carlo standard errors,
// whatever the horizon, though customers join in every period and the
// horizon cuts the lives of most of them; customers stepped and customers
// settled (see settles) alike.
func TestCLVWholeLifetime(t *testing.T) {
	const r = 0.9
	for _, world := range clvWorlds {
		for _, periods := range []int{3, 12, 60} {
			for _, settle := range []bool{true, false} {
				t.Run(fmt.Sprintf("%s/%d periods/settling %v", world.name, periods, settle), func(t *testing.T) {
					cfg := neutral()
					constantRetention(&cfg, r)
					cfg.Population.Initial = 500
					cfg.Market.PaidPerPeriod = 300
					cfg.Horizon.Periods = periods
					cfg.Replications = 20
					world.set(&cfg)
					d := periodRate(&cfg)
					want := world.margin(&cfg) * (1 + d) / (1 + d - r)

					settling = settle
					defer func() { settling = true }()
					res := run(t, cfg)
					clv := make([]float64, len(res.Reps))
					for i := range res.Reps {
						clv[i] = res.Reps[i].Outcomes(&cfg).CLV
					}
					got, se := meanSE(clv)
					if math.Abs(got-want) > 4*se {
						t.Errorf("CLV per acquired customer %.4f, closed form m(1+d)/(1+d-r) = %.4f, 4 SE = %.4f", got, want, 4*se)
					}
					if s := Summarize(res); math.Abs(s.Totals.CLV.Mean-got) > 1e-12*math.Abs(got) {
						t.Errorf("summary's clv_per_acquired %.6f, mean over replications %.6f", s.Totals.CLV.Mean, got)
					}
				})
			}
		}
	}
}

// TestCustomerEquity: with constant retention r and no acquisition, the
// N customers active at the start are worth N m(1+d)/(1+d-r) at period 0.
// Customer equity at a horizon of T periods is the share still active then:
// N r^T (1+d)^-T m(1+d)/(1+d-r); and cumulative discounted profit plus
// customer equity (value) is the whole N m(1+d)/(1+d-r) whatever T. Each
// within 4 Monte Carlo standard errors; the summary and the cohort table
// carry the same numbers.
func TestCustomerEquity(t *testing.T) {
	const r, N = 0.9, 2000
	for _, world := range clvWorlds {
		for _, periods := range []int{3, 12, 60} {
			t.Run(fmt.Sprintf("%s/%d periods", world.name, periods), func(t *testing.T) {
				cfg := neutral()
				constantRetention(&cfg, r)
				cfg.Population.Initial = N
				cfg.Horizon.Periods = periods
				cfg.Replications = 20
				world.set(&cfg)
				d := periodRate(&cfg)
				whole := N * world.margin(&cfg) * (1 + d) / (1 + d - r)
				wantEquity := whole * math.Pow(r/(1+d), float64(periods))

				res := run(t, cfg)
				equity, value := make([]float64, len(res.Reps)), make([]float64, len(res.Reps))
				for i := range res.Reps {
					o := res.Reps[i].Outcomes(&cfg)
					equity[i], value[i] = o.CustomerEquity, o.Value
				}
				for _, x := range []struct {
					name       string
					xs         []float64
					want       float64
					summarised Stat
				}{
					{"customer equity", equity, wantEquity, Summarize(res).Totals.CustomerEquity},
					{"value", value, whole, Summarize(res).Totals.Value},
				} {
					got, se := meanSE(x.xs)
					if math.Abs(got-x.want) > 4*se {
						t.Errorf("%s %.1f, closed form %.1f, 4 SE = %.1f", x.name, got, x.want, 4*se)
					}
					if math.Abs(x.summarised.Mean-got) > 1e-12*math.Abs(got) {
						t.Errorf("summary's %s %.6f, mean over replications %.6f", x.name, x.summarised.Mean, got)
					}
				}
				// One cohort, no acquisition costs: the initial customers'
				// lifetime value is the firm's value per customer.
				got, _ := meanSE(value)
				for _, cs := range Summarize(res).Cohorts {
					if lt := cs.Lifetime.Mean * N; cs.Channel == ChannelInitial && math.Abs(lt-got) > 1e-9*got {
						t.Errorf("initial cohort's lifetime value x N = %.3f, value %.3f", lt, got)
					}
				}
			})
		}
	}
}
