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

// clvWorlds are worlds where every customer keeps the same retention and
// the same expected margin per period for life, so that lifetime value is
// the closed form m(1+d)/(1+d-r) (margin at the start of each period alive,
// period 0 included). Goodwill moves neither churn nor price. Each world's
// law gives, in closed form, the expected margin m per period and the
// walk-away hazard per period w, so that r = (1 - base churn) e^-w.
var clvWorlds = []struct {
	name string
	set  func(c *Config)
	law  func(c *Config) (m, w float64)
}{
	{"no events", func(c *Config) {}, func(c *Config) (float64, float64) { return c.Pricing.ListPrice - c.Pricing.UnitCost, 0 }},
	{"service contacts that cost but move no churn", func(c *Config) {
		c.Service.ContactRate, c.Policy.HumanShare, c.Policy.StaffSkill = 0.8, 0.4, 0.5
		c.Churn.GoodwillEffect = 0
	}, func(c *Config) (float64, float64) {
		cost, _ := contactLaw(c)
		return c.Pricing.ListPrice - c.Pricing.UnitCost - c.Service.ContactRate*cost, 0
	}},
	{"contacts and incidents with walk-aways, fees and gestures", func(c *Config) {
		c.Service.ContactRate, c.Policy.HumanShare, c.Policy.StaffSkill = 0.8, 0.4, 0.5
		c.Incidents.Rate, c.Learning.Budget = 0.3, 0
		c.Churn.Walkaway, c.Switching.Cost = 0.1, 0.2
		c.Policy.Giving, c.Policy.Generosity = 0.4, 0.5
		c.Taking.FixFee, c.Giving.FastFix = 10, 0.5
		c.Generosity.GestureRate = 0.6
		c.Churn.GoodwillEffect = 0
	}, func(c *Config) (float64, float64) {
		// A contact unresolved, or an incident, makes the customer walk
		// away with probability p; Poisson(lambda) of them a hazard lambda p.
		cost, unresolved := contactLaw(c)
		walk := c.Churn.Walkaway * (1 - c.Switching.Cost)
		perIncident := c.Incidents.FixCost + c.Generosity.GestureRate*c.Policy.Generosity*c.Generosity.GestureCost - c.Taking.FixFee*(1-c.Policy.Giving)
		m := c.Pricing.ListPrice - c.Pricing.UnitCost - c.Service.ContactRate*cost - c.Incidents.Rate*perIncident
		w := c.Service.ContactRate*unresolved*walk + c.Incidents.Rate*walk*(1-c.Giving.FastFix*c.Policy.Giving)
		return m, w
	}},
}

// contactLaw is the expected cost of a service contact (with the
// frontline staff cost per contact) and the probability
// that it is left unresolved: a person takes it with probability
// human_share, else self-service, which passes it to a person with
// probability escalation and otherwise resolves it with self_resolution.
func contactLaw(c *Config) (cost, unresolved float64) {
	s, h := &c.Service, c.Policy.HumanShare
	humanCost := s.HumanCostBasic + (s.HumanCostSkilled-s.HumanCostBasic)*c.Policy.StaffSkill
	humanSolve := s.HumanResolutionBasic + (s.HumanResolutionSkilled-s.HumanResolutionBasic)*c.Policy.StaffSkill
	toPerson := h + (1-h)*s.Escalation
	cost = (1-h)*s.SelfCost + toPerson*humanCost + staffPerContact(c, toPerson, humanCost)
	unresolved = toPerson*(1-humanSolve) + (1-toPerson)*(1-s.SelfResolution)
	return cost, unresolved
}

// staffPerContact is the frontline's idle time, training and hiring per
// contact at policy.people 0.5, where pay is market pay and skill stays at
// policy.staff_skill: service.staffing / 1000 people per contact that
// reaches a person, each paid capacity x the cost of a human contact of
// which the share rho = 1000 / (staffing x capacity) is in the contacts
// handled, trained by the share tau of the skill gap that offsets
// attrition a (s = (1 - a)(s + tau(1 - s))) and replaced at the hiring
// cost at rate a. Attrition a is the yearly rate per period, scaled by
// utilisation against its reference.
func staffPerContact(c *Config, toPerson, humanCost float64) float64 {
	st, skill := &c.Staff, c.Policy.StaffSkill
	perContact := c.Service.Staffing / 1000
	rho := 1 / (perContact * st.Capacity)
	a := (1 - math.Pow(1-st.Attrition, 1/float64(c.Horizon.PeriodsPerYear))) * (1 + st.LoadAttrition*(math.Min(rho, 1)-st.LoadReference))
	tau := skill * a / ((1 - a) * (1 - skill))
	return toPerson * perContact * (st.Capacity*humanCost*math.Max(0, 1-rho) + st.TrainingCost*tau + st.HireCost*a)
}

// TestCLVWholeLifetime: with constant retention r, lifetime value per
// acquired customer is m(1+d)/(1+d-r) within 4 Monte Carlo standard errors,
// whatever the horizon, though customers join in every period and the
// horizon cuts the lives of most of them; customers stepped and customers
// settled (see settles) alike.
func TestCLVWholeLifetime(t *testing.T) {
	const base = 0.9 // retention before walk-aways
	for _, world := range clvWorlds {
		for _, periods := range []int{3, 12, 60} {
			for _, settle := range []bool{true, false} {
				t.Run(fmt.Sprintf("%s/%d periods/settling %v", world.name, periods, settle), func(t *testing.T) {
					cfg := neutral()
					constantRetention(&cfg, base)
					cfg.Population.Initial = 500
					cfg.Market.PaidPerPeriod = 300
					cfg.Horizon.Periods = periods
					cfg.Replications = 20
					world.set(&cfg)
					d := periodRate(&cfg)
					m, w := world.law(&cfg)
					r := base * math.Exp(-w)
					want := m * (1 + d) / (1 + d - r)

					settling = settle
					defer func() { settling = true }()
					res := run(t, cfg)
					clv := make([]float64, len(res.Reps))
					for i := range res.Reps {
						clv[i] = res.Reps[i].Outcomes(&cfg).CLV
					}
					got, se := meanSE(clv)
					if !(math.Abs(got-want) <= 4*se) {
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
	const base, N = 0.95, 4000 // retention before walk-aways
	for _, world := range clvWorlds {
		for _, periods := range []int{3, 12, 60} {
			t.Run(fmt.Sprintf("%s/%d periods", world.name, periods), func(t *testing.T) {
				cfg := neutral()
				constantRetention(&cfg, base)
				cfg.Population.Initial = N
				cfg.Horizon.Periods = periods
				cfg.Replications = 20
				world.set(&cfg)
				d := periodRate(&cfg)
				m, w := world.law(&cfg)
				r := base * math.Exp(-w)
				whole := N * m * (1 + d) / (1 + d - r)
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

// TestCLVAcquisitionDiscountEnds: customers acquired with a discount of
// depth D for M periods pay m_D = list x (1 - D) - unit cost for M periods,
// then m = list - unit cost. With constant retention r and x = r/(1+d),
// lifetime value is m_D (1 - x^M)/(1 - x) + m x^M/(1 - x) whatever the
// horizon, even one that ends while every customer acquired is still in its
// discount: the value after the horizon foresees that it ends.
func TestCLVAcquisitionDiscountEnds(t *testing.T) {
	const r = 0.9
	for _, periods := range []int{3, 12, 60} {
		t.Run(fmt.Sprintf("%d periods", periods), func(t *testing.T) {
			cfg := neutral()
			constantRetention(&cfg, r)
			cfg.Population.Initial = 500
			cfg.Market.PaidPerPeriod = 300
			cfg.Discounts.Depth, cfg.Discounts.Months, cfg.Policy.Generosity = 0.3, min(6, periods), 0
			cfg.Discounts.Lift = 0       // no discount-led channel: every customer acquired is paid
			cfg.Churn.GoodwillEffect = 0 // the discount's end moves goodwill, not churn
			cfg.Horizon.Periods = periods
			cfg.Replications = 20
			d := periodRate(&cfg)
			x, M := r/(1+d), float64(cfg.Discounts.Months)
			list, unit := cfg.Pricing.ListPrice, cfg.Pricing.UnitCost
			want := ((list*(1-cfg.Discounts.Depth)-unit)*(1-math.Pow(x, M)) + (list-unit)*math.Pow(x, M)) / (1 - x)

			res := run(t, cfg)
			clv := make([]float64, len(res.Reps))
			for i := range res.Reps {
				clv[i] = res.Reps[i].Outcomes(&cfg).CLV
			}
			got, se := meanSE(clv)
			if !(math.Abs(got-want) <= 4*se) {
				t.Errorf("CLV per acquired customer %.4f, closed form %.4f, 4 SE = %.4f", got, want, 4*se)
			}
		})
	}
}

// TestCLVBySegment: M13's contact and incident multipliers reach lifetime
// value, after the horizon too. In the world of contacts and incidents with
// walk-aways, fees and gestures, two segments with constant retention
// differ only in how often they call and meet incidents; each segment's
// lifetime value per acquired customer is m(1+d)/(1+d-r) with m and the
// walk-away hazard w of its own rates (service.contact_rate and
// incidents.rate times its multipliers) and r = base x e^-w, within 4 Monte
// Carlo standard errors, though the horizon cuts most lives short.
func TestCLVBySegment(t *testing.T) {
	const base, k = 0.9, 1e9
	world := clvWorlds[2]
	cfg := neutral()
	cfg.Population.Initial, cfg.Market.PaidPerPeriod = 500, 300
	cfg.Horizon.Periods, cfg.Replications = 12, 20
	world.set(&cfg)
	calm, busy := testSegment("calm", 0.5, k*(1-base), k*base), testSegment("busy", 0.5, k*(1-base), k*base)
	calm.ContactRate, calm.IncidentRate = 0.5, 0.25
	busy.ContactRate, busy.IncidentRate = 2, 3
	cfg.Segments = []Segment{calm, busy}
	d := periodRate(&cfg)
	res := run(t, cfg)
	for s, sg := range cfg.Segments {
		own := cfg
		own.Segments = nil
		own.Service.ContactRate *= sg.ContactRate
		own.Incidents.Rate *= sg.IncidentRate
		m, w := world.law(&own)
		r := base * math.Exp(-w)
		want := m * (1 + d) / (1 + d - r)
		clv := make([]float64, len(res.Reps))
		for i := range res.Reps {
			clv[i], _ = res.Reps[i].Segments.SegmentOutcomes(s, 0)
		}
		got, se := meanSE(clv)
		if !(math.Abs(got-want) <= 4*se) {
			t.Errorf("segment %s: CLV per acquired customer %.4f, closed form m(1+d)/(1+d-r) = %.4f, 4 SE = %.4f", sg.Name, got, want, 4*se)
		}
	}
}
