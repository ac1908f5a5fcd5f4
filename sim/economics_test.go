package sim

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// The tests in this file pin M8's economics line by line: each money
// metric against its definition, computed here from the parameters and
// the period's counts, on the stepped and the settled path.

// richWorld has every mechanism on but the customer community (pinned in
// community_test.go): acquisition by all channels with its costs, fees,
// gestures, learning, referral rewards, frontline staff.
func richWorld() Config {
	cfg := Default()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 1500, 24, 3
	cfg.Market.Potential, cfg.Market.PaidPerPeriod, cfg.Market.CAC, cfg.Market.Deterrence = 100000, 100, 40, 0.3
	cfg.Advocacy.ReferralReward, cfg.Advocacy.ReferralRate = 5, 0.05
	cfg.Learning.Budget = 0.5
	cfg.Policy.Giving, cfg.Policy.Generosity = 0.3, 0.4
	return cfg
}

// segmentedRichWorld is richWorld's market split into two segments that
// call at half and at twice the contact rate (M13): the frontline is sized
// for their contacts, and each customer's margin carries its share of the
// staff cost.
func segmentedRichWorld() Config {
	cfg := richWorld()
	calm, busy := NewSegment("calm"), NewSegment("busy")
	calm.Share, calm.Churn, calm.ContactRate = 0.5, SegmentChurn{1, 30}, 0.5
	busy.Share, busy.Churn, busy.ContactRate = 0.5, SegmentChurn{1, 20}, 2
	cfg.Segments = []Segment{calm, busy}
	return cfg
}

// settledWorld is a world whose customers all settle (see settles) but
// which still earns, pays and acquires: fixed goodwill sustaining a
// premium, paid and discount-led acquisition with CAC.
func settledWorld() Config {
	cfg := neutral()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 1500, 24, 3
	cfg.Market.PaidPerPeriod, cfg.Market.CAC = 80, 25
	cfg.Discounts.Depth, cfg.Discounts.Months, cfg.Policy.Generosity = 0.2, 0, 0
	cfg.Goodwill.Initial, cfg.Goodwill.Decay, cfg.Pricing.GoodwillPremium = 0.5, 1, 0.1
	return cfg
}

// TestAccountingIdentities checks every period of every replication
// against M8's definitions: cost is the sum of its eight kinds, profit is
// revenue less cost, cumulative profit sums it and cumulative discounted
// profit sums it discounted at d = (1 + annual)^(1/ppy) - 1 to period 0;
// variable cost is unit cost per active customer; each fee, fix, gesture,
// acquisition and referral costs its parameter, learning costs its budget
// per active customer (M10) and the frontline's headcount follows the
// contacts expected to reach a person (M12); the shares and counts are
// consistent; and the cohort tables (M9) hold the same customers and the
// same margin (revenue less variable, service, incident, gesture and
// staff costs: the staff cost enters every customer's margin, learning's
// does not) as the period series.
func TestAccountingIdentities(t *testing.T) {
	quarterly := richWorld()
	quarterly.Horizon.PeriodsPerYear, quarterly.Economics.DiscountRate = 4, 0.2
	quarterly.Discounts.Months = 2
	for _, tc := range []struct {
		name string
		cfg  Config
	}{{"every mechanism", richWorld()}, {"quarterly periods", quarterly}, {"settled customers", settledWorld()}, {"segments", segmentedRichWorld()}} {
		t.Run(tc.name, func(t *testing.T) {
			paths(t, func(t *testing.T) {
				cfg := tc.cfg
				r := run(t, cfg)
				accounting(t, &cfg, r)
			})
		})
	}
}

func accounting(t *testing.T, cfg *Config, r *Result) {
	t.Helper()
	d := periodRate(cfg)
	fee := cfg.Taking.FixFee * (1 - cfg.Policy.Giving)
	h := cfg.Policy.HumanShare
	T, ppy := cfg.Horizon.Periods, cfg.Horizon.PeriodsPerYear
	for i := range r.Reps {
		rep := &r.Reps[i]
		var cum, disc, operating float64
		for p, row := range rep.Series {
			cost := row[CostVariable] + row[CostService] + row[CostIncidents] + row[CostGestures] + row[CostReferral] + row[CostAcquisition] + row[CostStaff] + row[CostLearning]
			exact(t, "cost", row[Cost], cost, 1e-12)
			exact(t, "profit", row[Profit], row[Revenue]-cost, 1e-12)
			cum += row[Revenue] - cost
			disc += (row[Revenue] - cost) / math.Pow(1+d, float64(p))
			exact(t, "cumulative profit", row[CumulativeProfit], cum, 1e-12)
			exact(t, "cumulative discounted profit", row[CumulativeDiscountedProfit], disc, 1e-12)
			operating += row[Revenue] - row[CostVariable] - row[CostService] - row[CostIncidents] - row[CostGestures] - row[CostStaff]

			exact(t, "variable cost", row[CostVariable], cfg.Pricing.UnitCost*row[Active], 1e-12)
			exact(t, "fees", row[Fees], fee*row[IncidentCount], 1e-12)
			exact(t, "incident cost", row[CostIncidents], cfg.Incidents.FixCost*row[IncidentCount], 1e-12)
			exact(t, "gesture cost", row[CostGestures], cfg.Generosity.GestureCost*row[Gestures], 1e-12)
			exact(t, "acquisition cost", row[CostAcquisition], cfg.Market.CAC*(row[AcquiredPaid]+row[AcquiredDiscount]), 1e-12)
			exact(t, "referral cost", row[CostReferral], cfg.Advocacy.ReferralReward*row[AcquiredReferral], 1e-12)
			exact(t, "learning cost", row[CostLearning], cfg.Learning.Budget*row[Active], 1e-12)
			// The staff cost per person is pinned in staff_test.go; here
			// the headcount: staffing per 1,000 contacts expected to reach
			// a person, human_share + (1 - human_share) x escalation of
			// them (no community in these worlds), each active customer
			// counted by its segment's contact multiplier.
			load := row[Active]
			if len(cfg.Segments) > 0 {
				load = 0
				for k, sg := range cfg.Segments {
					load += rep.Segments.row(p, k)[SegmentActive] * sg.ContactRate
				}
			}
			exact(t, "headcount", row[StaffCount], cfg.Service.Staffing/1000*cfg.Service.ContactRate*(h+(1-h)*cfg.Service.Escalation)*load, 1e-12)

			exact(t, "acquired", row[Acquired], row[AcquiredPaid]+row[AcquiredDiscount]+row[AcquiredReferral], 1e-12)
			exact(t, "active", row[Active], row[ActiveInitial]+row[ActivePaid]+row[ActiveDiscount]+row[ActiveReferral], 1e-12)
			exact(t, "churn rate", row[ChurnRate], row[Churned]/row[Active], 1e-12)
			exact(t, "retention rate", row[RetentionRate], 1-row[Churned]/row[Active], 1e-12)
			exact(t, "survival", row[Survival], row[ActiveInitial]/float64(cfg.Population.Initial), 1e-12)
			exact(t, "passives", row[Passives], 1-row[Promoters]-row[Detractors], 1e-12)
			exact(t, "NPS", row[NPS], 100*(row[Promoters]-row[Detractors]), 1e-12)
			if p > 0 {
				prev := rep.Series[p-1]
				exact(t, "active from the period before", row[Active], prev[Active]-prev[Churned]+row[Acquired], 1e-12)
			} else if row[Active] != float64(cfg.Population.Initial) || row[Acquired] != 0 {
				t.Errorf("period 0: %v active, %v acquired; want the initial %d and none", row[Active], row[Acquired], cfg.Population.Initial)
			}
		}
		o := rep.Outcomes(cfg)
		last := rep.Series[T-1]
		exact(t, "final active", o.FinalActive, last[Active]-last[Churned], 0)
		exact(t, "outcome cumulative profit", o.CumulativeProfit, cum, 1e-12)
		exact(t, "outcome cumulative discounted profit", o.CumulativeDiscountedProfit, disc, 1e-12)
		exact(t, "final NPS", o.FinalNPS, last[NPS], 0)

		// M9: the cohort tables hold the same customers and margin.
		ct := &rep.Cohorts
		if years := int(math.Ceil(float64(T) / float64(ppy))); ct.Cohorts != years || ct.Ages != T {
			t.Errorf("cohort tables of %d cohorts and %d ages, want %d yearly cohorts and %d ages", ct.Cohorts, ct.Ages, years, T)
		}
		margin := 0.0
		for _, x := range ct.Margin {
			margin += x
		}
		exact(t, "cohort margin against revenue less operating costs", margin, operating, 1e-9)
		exact(t, "initial cohort", ct.Joined[ct.cell(0, ChannelInitial)], float64(cfg.Population.Initial), 0)
		for ch := ChannelInitial; ch < NumChannels; ch++ {
			var alive, active float64
			for p, row := range rep.Series {
				active += row[ActiveInitial+Metric(ch)]
				if ch == ChannelInitial {
					exact(t, "initial customers alive at each age", ct.Alive[ct.cell(0, ch)*ct.Ages+p], row[ActiveInitial], 0)
				}
			}
			for cohort := 0; cohort < ct.Cohorts; cohort++ {
				k := ct.cell(cohort, ch)
				for a := 0; a < ct.Ages; a++ {
					alive += ct.Alive[k*ct.Ages+a]
				}
				if ch == ChannelInitial {
					continue
				}
				// Joined and exposed: the acquisitions of the cohort's year,
				// exposed at age a if they joined by period T-1-a.
				acquired := AcquiredPaid + Metric(ch-ChannelPaid)
				for a := 0; a < ct.Ages; a++ {
					want := 0.0
					for p := cohort * ppy; p < min((cohort+1)*ppy, T-a); p++ {
						want += rep.Series[p][acquired]
					}
					exact(t, "exposed", ct.Exposed[k*ct.Ages+a], want, 0)
				}
				exact(t, "joined", ct.Joined[k], ct.Exposed[k*ct.Ages], 0)
			}
			exact(t, ch.String()+" customers alive in the cohort tables", alive, active, 0)
		}
	}
}

// Revenue is every active customer's price plus the fees charged at
// incidents, fix_fee x (1 - giving) each, with every other pricing lever
// off; service cost, with every contact handled by a person, is the
// contacts times the cost at the staff's skill and pay factor (M12),
// (human_cost_basic + (human_cost_skilled - human_cost_basic) x skill) x
// (1 + pay_spread x (2 people - 1)). Skill stays at staff_skill in every
// period at people 0.5, and at 0 whatever the people dial (no training to
// move): the two worlds below. Contacts and
// incidents arrive at their Poisson rates and a gesture comes with an
// incident with probability gesture_rate x generosity.
func TestRevenueAndCostsPerEvent(t *testing.T) {
	cfg := neutral()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 3000, 6, 2
	cfg.Incidents.Rate, cfg.Taking.FixFee, cfg.Policy.Giving = 0.2, 10, 0.3
	cfg.Generosity.GestureRate, cfg.Policy.Generosity = 0.8, 0.5
	cfg.Service.ContactRate, cfg.Policy.HumanShare, cfg.Policy.StaffSkill = 0.3, 1, 0.25
	humanCost := func(c *Config) float64 {
		pay := 1 + c.Staff.PaySpread*(2*c.Policy.People-1)
		return (c.Service.HumanCostBasic + (c.Service.HumanCostSkilled-c.Service.HumanCostBasic)*c.Policy.StaffSkill) * pay
	}
	var r *Result // the first world's run, for the rates below
	for k, staff := range []struct{ skill, people float64 }{{0.25, 0.5}, {0, 0.8}} {
		paid := cfg
		paid.Policy.StaffSkill, paid.Policy.People = staff.skill, staff.people
		rs := run(t, paid)
		if k == 0 {
			r = rs
		}
		for i := range rs.Reps {
			for _, row := range rs.Reps[i].Series {
				exact(t, "revenue", row[Revenue], cfg.Pricing.ListPrice*row[Active]+cfg.Taking.FixFee*(1-cfg.Policy.Giving)*row[IncidentCount], 1e-12)
				exact(t, "service cost at people "+fmtG(staff.people), row[CostService], humanCost(&paid)*row[Contacts], 1e-12)
				exact(t, "human contacts", row[HumanContacts], row[Contacts], 0)
			}
		}
	}
	// With no escalation a contact goes to a person with probability
	// human_share and costs the person's cost, else self_cost.
	for _, share := range []float64{0, 0.4} {
		mixed := cfg
		mixed.Policy.HumanShare, mixed.Service.Escalation = share, 0
		rs := run(t, mixed)
		for i := range rs.Reps {
			for _, row := range rs.Reps[i].Series {
				exact(t, "service cost", row[CostService], humanCost(&mixed)*row[HumanContacts]+mixed.Service.SelfCost*(row[Contacts]-row[HumanContacts]), 1e-12)
			}
		}
		contacts := sumRange(rs, Contacts, 0, mixed.Horizon.Periods-1)
		closeSE(t, "share of contacts handled by a person", sumRange(rs, HumanContacts, 0, mixed.Horizon.Periods-1)/contacts, share, binomialSE(share, contacts))
	}
	last := cfg.Horizon.Periods - 1
	active := sumRange(r, Active, 0, last)
	for _, c := range []struct {
		m    Metric
		rate float64
	}{{Contacts, cfg.Service.ContactRate}, {IncidentCount, cfg.Incidents.Rate}} {
		closeSE(t, c.m.String()+" per customer", sumRange(r, c.m, 0, last)/active, c.rate, math.Sqrt(c.rate/active))
	}
	incidents, p := sumRange(r, IncidentCount, 0, last), cfg.Generosity.GestureRate*cfg.Policy.Generosity
	closeSE(t, "gestures per incident", sumRange(r, Gestures, 0, last)/incidents, p, binomialSE(p, incidents))
}

// CAC payback is the fewest periods after joining by which the mean
// cumulative undiscounted margin of a paid or discount customer reaches
// CAC. With no churn and no events a customer earns list x (1 - depth)
// - unit cost in each of its first months periods and list - unit cost
// after, so payback is known in whole periods; a CAC it never reaches
// within the horizon leaves it undefined.
func TestCACPayback(t *testing.T) {
	const list, unit = 30.0, 12.0
	for _, tc := range []struct {
		cac, depth float64
		months     int
	}{
		{18, 0, 0}, {17.9, 0, 0}, {18.1, 0, 0}, {54, 0, 0}, {50, 0, 0},
		{24, 0.5, 2}, {20, 0.5, 2}, {6, 0.5, 2}, {5, 0.5, 2}, {1e6, 0, 0},
	} {
		paths(t, func(t *testing.T) {
			cfg := neutral()
			noChurn(&cfg)
			cfg.Market.PaidPerPeriod, cfg.Market.CAC = 50, tc.cac
			cfg.Discounts.Depth, cfg.Discounts.Months, cfg.Policy.Generosity, cfg.Discounts.Lift = tc.depth, tc.months, 0, 0
			cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 100, 12, 2
			r := run(t, cfg)
			want, cum := math.NaN(), 0.0
			for a := 0; a < cfg.Horizon.Periods-1; a++ { // the last period's joiners reach only age 0
				m := list - unit
				if a < tc.months {
					m = list*(1-tc.depth) - unit
				}
				if cum += m; cum >= tc.cac {
					want = float64(a + 1)
					break
				}
			}
			for i := range r.Reps {
				got := r.Reps[i].Outcomes(&cfg).Payback
				if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Errorf("CAC %g, depth %g for %d periods: payback %v periods, want %v", tc.cac, tc.depth, tc.months, got, want)
				}
			}
			never := 0.0
			if math.IsNaN(want) {
				never = 1
			}
			if s := Summarize(r); s.Totals.PaybackNever != never {
				t.Errorf("CAC %g: never paid back in a share %v of replications, want %v", tc.cac, s.Totals.PaybackNever, never)
			}
		})
	}
}

// Without paid or discount customers there is no CAC to pay back: payback
// is undefined but no replication counts as never paying back, nor does
// an empty collector.
func TestCACPaybackWithoutPaidCustomers(t *testing.T) {
	cfg := neutral()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 100, 6, 2
	cfg.Market.CAC = 10
	r := run(t, cfg)
	if got := r.Reps[0].Outcomes(&cfg).Payback; !math.IsNaN(got) {
		t.Errorf("payback %v with no paid customers, want NaN", got)
	}
	if got := Summarize(r).Totals.PaybackNever; got != 0 {
		t.Errorf("never-paid-back share %v with no paid customers, want 0", got)
	}
	if got := NewCollector("empty", cfg).Summary().Totals.PaybackNever; got != 0 {
		t.Errorf("never-paid-back share %v with no replications, want 0", got)
	}
}

// The collector's per-period statistics are those of the replications'
// values: mean, sample standard deviation and the 5/50/95% quantiles
// (linear interpolation), and the horizon totals those of the outcomes.
func TestCollectorSummarisesReplications(t *testing.T) {
	cfg := richWorld()
	cfg.Replications, cfg.Population.Initial, cfg.Horizon.Periods = 7, 300, 13
	r := run(t, cfg)
	s := Summarize(r)
	stats := func(xs []float64) Stat {
		sorted := slices.Clone(xs)
		slices.Sort(sorted)
		q := func(p float64) float64 { return stat.Quantile(p, stat.LinInterp, sorted, nil) }
		return Stat{Mean: stat.Mean(xs, nil), SD: stat.StdDev(xs, nil), P05: q(0.05), P50: q(0.5), P95: q(0.95)}
	}
	near := func(what string, got, want Stat) {
		t.Helper()
		for _, f := range []struct {
			name string
			a, b float64
		}{{"mean", got.Mean, want.Mean}, {"sd", got.SD, want.SD}, {"p05", got.P05, want.P05}, {"p50", got.P50, want.P50}, {"p95", got.P95, want.P95}} {
			if math.IsNaN(f.a) != math.IsNaN(f.b) || math.Abs(f.a-f.b) > 1e-9*max(1, math.Abs(f.b)) {
				t.Errorf("%s %s: %v, want %v", what, f.name, f.a, f.b)
			}
		}
	}
	if s.Replications != cfg.Replications {
		t.Errorf("summary of %d replications, want %d", s.Replications, cfg.Replications)
	}
	for m := Metric(0); m < NumMetrics; m++ {
		for p := 0; p < cfg.Horizon.Periods; p++ {
			near(m.String()+" period "+fmtG(float64(p)), s.Series(m)[p], stats(r.Value(m, p)))
		}
	}
	// Cohort cells: the summary lists exactly the cells some replication
	// has customers in, in order; for each, customers joined and survival
	// by age, Alive/Exposed.
	var cells []int
	ct0 := &r.Reps[0].Cohorts
	for k := range ct0.Joined {
		for i := range r.Reps {
			if r.Reps[i].Cohorts.Joined[k] > 0 {
				cells = append(cells, k)
				break
			}
		}
	}
	if len(cells) != len(s.Cohorts) {
		t.Fatalf("summary lists %d cohort cells, replications have customers in %d", len(s.Cohorts), len(cells))
	}
	for j, cs := range s.Cohorts {
		if k := ct0.cell(cs.Cohort, cs.Channel); k != cells[j] {
			t.Errorf("summary's cohort cell %d is cohort %d %s, want cell %d", j, cs.Cohort, cs.Channel, cells[j])
		}
		if len(cs.Survival) != ct0.Ages {
			t.Errorf("cohort %d %s: survival at %d ages, want %d", cs.Cohort, cs.Channel, len(cs.Survival), ct0.Ages)
		}
	}
	for _, cs := range s.Cohorts {
		var joined []float64
		for i := range r.Reps {
			ct := &r.Reps[i].Cohorts
			joined = append(joined, ct.Joined[ct.cell(cs.Cohort, cs.Channel)])
		}
		near("customers joined", cs.Customers, stats(joined))
		for a := range cs.Survival {
			var survival []float64
			for i := range r.Reps {
				ct := &r.Reps[i].Cohorts
				if k := ct.cell(cs.Cohort, cs.Channel)*ct.Ages + a; ct.Exposed[k] > 0 {
					survival = append(survival, ct.Alive[k]/ct.Exposed[k])
				}
			}
			if len(survival) > 0 {
				near("cohort survival", cs.Survival[a], stats(survival))
			} else if !math.IsNaN(cs.Survival[a].Mean) {
				t.Errorf("cohort %d %s age %d: survival %v with nobody exposed, want NaN", cs.Cohort, cs.Channel, a, cs.Survival[a].Mean)
			}
		}
	}
	var cum, disc, final []float64
	for i := range r.Reps {
		o := r.Reps[i].Outcomes(&cfg)
		cum, disc, final = append(cum, o.CumulativeProfit), append(disc, o.CumulativeDiscountedProfit), append(final, o.FinalActive)
	}
	near("cumulative profit", s.Totals.CumulativeProfit, stats(cum))
	near("cumulative discounted profit", s.Totals.CumulativeDiscountedProfit, stats(disc))
	near("final active", s.Totals.FinalActive, stats(final))
}
