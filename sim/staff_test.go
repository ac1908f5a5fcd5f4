package sim

import (
	"fmt"
	"math"
	"testing"
)

// staffLaw is the frontline of sim/staff.go worked out here from its
// documented equations: utilisation, wait, pay, attrition, training and
// target engagement, the same in every period, and the recursion of skill
// and engagement.
type staffLaw struct {
	rho, wait, pay, attrition, training, target float64
	perCustomer                                 float64 // staff per active customer
}

func newStaffLaw(c *Config) staffLaw {
	st, q, h := &c.Staff, c.Policy.People, c.Policy.HumanShare
	clamp := func(x float64) float64 { return math.Max(0, math.Min(1, x)) }
	var l staffLaw
	l.rho = 1000 / (c.Service.Staffing * st.Capacity)
	l.wait = st.MaxWait
	if l.rho < 1 {
		l.wait = math.Min(st.MaxWait, st.HandleMinutes*l.rho/(1-l.rho))
	}
	l.pay = 1 + st.PaySpread*(2*q-1)
	a0 := 1 - math.Pow(1-st.Attrition, 1/float64(c.Horizon.PeriodsPerYear))
	load := math.Min(l.rho, 1) - st.LoadReference
	attrition := func(pay float64) float64 {
		return math.Min(1, a0*math.Max(0, 1-st.PayAttrition*(pay-1))*math.Max(0, 1+st.LoadAttrition*load))
	}
	l.attrition = attrition(l.pay)
	s0, aRef := c.Policy.StaffSkill, attrition(1)
	tauRef := math.Min(1, s0*aRef/((1-aRef)*(1-s0)))
	l.training = math.Min(1, tauRef*math.Max(0, 1+st.TrainingRange*(2*q-1)))
	l.target = clamp(0.5 + st.PeopleEngagement*(q-0.5) - st.LoadEngagement*load)
	l.perCustomer = c.Service.Staffing / 1000 * c.Service.ContactRate * (h + (1-h)*c.Service.Escalation)
	return l
}

// path returns skill and engagement in periods 0..T-1:
// s(t+1) = (1 - a)(s(t) + tau(1 - s(t))), e(t+1) = e(t) + speed (e* - e(t)),
// from s(0) = policy.staff_skill and e(0) = 0.5.
func (l staffLaw) path(c *Config) (skill, engagement []float64) {
	s, e := c.Policy.StaffSkill, 0.5
	for t := 0; t < c.Horizon.Periods; t++ {
		skill, engagement = append(skill, s), append(engagement, e)
		s = (1 - l.attrition) * (s + l.training*(1-s))
		e += c.Staff.EngagementSpeed * (l.target - e)
	}
	return skill, engagement
}

// costPerCustomer is the staff cost per active customer at skill s: per
// person idle pay capacity x pay x human cost(s) x (1 - rho), training
// training_cost x tau and hiring hire_cost x a.
func (l staffLaw) costPerCustomer(c *Config, s float64) float64 {
	sv, st := &c.Service, &c.Staff
	humanCost := sv.HumanCostBasic + (sv.HumanCostSkilled-sv.HumanCostBasic)*s
	idle := st.Capacity * l.pay * humanCost * math.Max(0, 1-l.rho)
	return l.perCustomer * (idle + st.TrainingCost*l.training + st.HireCost*l.attrition)
}

// staffWorld is a small world with service contacts and acquisition.
func staffWorld() Config {
	cfg := Default()
	cfg.Population.Initial = 300
	cfg.Horizon.Periods = 30
	cfg.Replications = 2
	cfg.Market.PaidPerPeriod = 20
	return cfg
}

// M3 and M12: the engine's frontline, period by period, is the documented
// recursion computed here, exactly (it is deterministic), in worlds that
// move the people dial, the staffing, the starting skill and the
// workload: skill, engagement, attrition, utilisation, wait, headcount and
// staff cost. At policy.people 0.5 skill stays at policy.staff_skill.
func TestStaffStockFollowsItsRecursion(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(c *Config)
	}{
		{"defaults", func(c *Config) {}},
		{"taking people, skilled start", func(c *Config) { c.Policy.People, c.Policy.StaffSkill = 0, 0.8 }},
		{"giving people, basic start", func(c *Config) { c.Policy.People, c.Policy.StaffSkill = 1, 0.1 }},
		{"giving people, overloaded", func(c *Config) { c.Policy.People, c.Service.Staffing = 0.8, 1.5 }},
		{"neutral people, light load, quarterly", func(c *Config) {
			c.Policy.StaffSkill, c.Service.Staffing, c.Horizon.PeriodsPerYear = 0.7, 5, 4
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := staffWorld()
			tc.set(&cfg)
			law := newStaffLaw(&cfg)
			skill, engagement := law.path(&cfg)
			res := run(t, cfg)
			near := func(got, want float64) bool { return math.Abs(got-want) <= 1e-12*math.Max(1, math.Abs(want)) }
			for i, rep := range res.Reps {
				for p, row := range rep.Series {
					for _, x := range []struct {
						metric Metric
						want   float64
					}{
						{StaffSkill, skill[p]},
						{StaffEngagement, engagement[p]},
						{StaffAttrition, law.attrition},
						{Utilisation, law.rho},
						{WaitMinutes, law.wait},
						{StaffCount, law.perCustomer * row[Active]},
						{CostStaff, law.costPerCustomer(&cfg, skill[p]) * row[Active]},
					} {
						if !near(row[x.metric], x.want) {
							t.Fatalf("replication %d period %d: %s %.15g, want %.15g", i, p, x.metric, row[x.metric], x.want)
						}
					}
					if cfg.Policy.People == 0.5 && !near(row[StaffSkill], cfg.Policy.StaffSkill) {
						t.Fatalf("period %d: skill %v moved from policy.staff_skill %v at policy.people 0.5", p, row[StaffSkill], cfg.Policy.StaffSkill)
					}
				}
			}
		})
	}
}

// M3: the wait at a given utilisation is the M/M/1 mean wait in queue,
// handle_minutes x rho/(1 - rho), capped at max_wait, and max_wait at rho
// >= 1.
func TestWaitAtUtilisation(t *testing.T) {
	for _, tc := range []struct {
		staffing, capacity, handle float64
		want                       float64 // minutes
	}{
		{4, 500, 3, 3},                    // rho 0.5: 3 x 1
		{2.5, 500, 3, 12},                 // rho 0.8: 3 x 4
		{1000.0 / 450, 500, 6, 54},        // rho 0.9: 6 x 9
		{1000.0 / 475, 500, 6, 60},        // rho 0.95: 6 x 19, capped at 60
		{1.6, 500, 3, 60},                 // rho 1.25: overloaded
		{10, 200, 5, 5 * 0.5 / (1 - 0.5)}, // rho 0.5 with another capacity
	} {
		t.Run(fmt.Sprintf("staffing %.3g capacity %g", tc.staffing, tc.capacity), func(t *testing.T) {
			cfg := staffWorld()
			cfg.Horizon.Periods, cfg.Replications = 1, 1
			cfg.Discounts.Months = 1
			cfg.Service.Staffing, cfg.Staff.Capacity, cfg.Staff.HandleMinutes, cfg.Staff.MaxWait = tc.staffing, tc.capacity, tc.handle, 60
			got := run(t, cfg).Reps[0].Series[0][WaitMinutes]
			if math.Abs(got-tc.want) > 1e-9*tc.want {
				t.Errorf("wait %.12g minutes, want %.12g", got, tc.want)
			}
		})
	}
}

// M3: waiting is a bad experience of every human contact, wait_goodwill x
// wait/60 before the negativity bias. In a one-period world where every
// contact reaches a person, the same customers have the same contacts with
// and without waiting (common random numbers), so period 0's goodwill sums
// differ by exactly bias x hurt x human contacts; and the level of mean
// goodwill is contact_rate x (warmth + r x resolved - bias x ((1 - r) x
// unresolved + hurt)) within 4 Monte Carlo standard errors, r the
// resolution at the starting skill, warmth at engagement 0.5.
func TestWaitingCostsGoodwill(t *testing.T) {
	const n, reps, rate = 5000, 4, 0.5
	world := func(waitGoodwill float64) (*Result, Config) {
		cfg := firstPeriod(n, reps)
		cfg.Service.ContactRate, cfg.Policy.HumanShare = rate, 1
		cfg.Service.WaitGoodwill = waitGoodwill
		cfg.Service.Staffing, cfg.Staff.HandleMinutes = 2.5, 6 // rho 0.8: a 24-minute wait
		return run(t, cfg), cfg
	}
	waiting, cfg := world(0.3)
	prompt, _ := world(0)
	s, bias := &cfg.Service, cfg.Goodwill.NegativityBias
	hurt := s.WaitGoodwill * 24.0 / 60
	for i := range waiting.Reps {
		w, p := waiting.Reps[i].Series[0], prompt.Reps[i].Series[0]
		if w[HumanContacts] != p[HumanContacts] || w[HumanContacts] == 0 {
			t.Fatalf("replication %d: %v and %v human contacts, want the same, above 0", i, w[HumanContacts], p[HumanContacts])
		}
		diff := (w[GoodwillMean] - p[GoodwillMean]) * w[Active]
		if want := -bias * hurt * w[HumanContacts]; math.Abs(diff-want) > 1e-9*math.Abs(want) {
			t.Errorf("replication %d: waiting moved goodwill by %.9g in all, want -bias x hurt x human contacts = %.9g", i, diff, want)
		}
	}
	r := s.HumanResolutionBasic + (s.HumanResolutionSkilled-s.HumanResolutionBasic)*cfg.Policy.StaffSkill
	good, bad := s.Warmth+s.ResolvedGoodwill-bias*hurt, s.Warmth-bias*(s.UnresolvedGoodwill+hurt)
	perContact := r*good + (1-r)*bad
	// A Poisson number of independent contacts: variance rate x E[X^2].
	sd := math.Sqrt(rate * (r*good*good + (1-r)*bad*bad))
	var got float64
	for i := range waiting.Reps {
		got += waiting.Reps[i].Series[0][GoodwillMean] / reps
	}
	if want, se := rate*perContact, sd/math.Sqrt(n*reps); !(math.Abs(got-want) <= 4*se) {
		t.Errorf("mean goodwill %.5f, want contact_rate x per-contact goodwill = %.5f, 4 SE = %.5f", got, want, 4*se)
	}
}

// M8: the staff cost is a line of cost of its own, in cost and profit, and
// in customers' margins: the cohort tables' margins add up to revenue less
// every cost but acquisition and referral rewards, period by period summed.
func TestStaffCostInTheEconomics(t *testing.T) {
	cfg := staffWorld()
	cfg.Policy.People = 1
	res := run(t, cfg)
	for i, rep := range res.Reps {
		var margins, wantMargins float64
		for p, row := range rep.Series {
			if row[CostStaff] <= 0 {
				t.Fatalf("replication %d period %d: staff cost %v, want above 0", i, p, row[CostStaff])
			}
			cost := row[CostVariable] + row[CostService] + row[CostIncidents] + row[CostGestures] + row[CostReferral] + row[CostAcquisition] + row[CostStaff]
			if math.Abs(row[Cost]-cost) > 1e-9*cost || math.Abs(row[Profit]-(row[Revenue]-cost)) > 1e-9*cost {
				t.Fatalf("replication %d period %d: cost %v and profit %v, want the sum of the lines %v and revenue less it", i, p, row[Cost], row[Profit], cost)
			}
			wantMargins += row[Revenue] - row[CostVariable] - row[CostService] - row[CostIncidents] - row[CostGestures] - row[CostStaff]
		}
		for _, m := range rep.Cohorts.Margin {
			margins += m
		}
		// Margin[k] is the margin at age k of the cohort, not a running sum.
		if math.Abs(margins-wantMargins) > 1e-9*math.Abs(wantMargins) {
			t.Errorf("replication %d: cohort margins add up to %.6f, want revenue less per-customer costs, staff included, %.6f", i, margins, wantMargins)
		}
	}
}

// M3 and M12 directions, each a sweep with every step moving the outcome
// the documented way by more than 3 standard errors of the paired
// difference (for the frontline's own metrics, which are deterministic,
// by more than 0).
func TestStaffDirections(t *testing.T) {
	base := Default()
	base.Population.Initial = 2000
	base.Horizon.Periods = 24
	base.Replications = 12
	base.Market.Potential = 500000
	base.Market.PaidPerPeriod = 100
	costToServe := func(rep *Replication) float64 {
		var x float64
		for _, row := range rep.Series {
			x += row[CostService] + row[CostStaff]
		}
		return x
	}
	last := func(m Metric) outcome {
		return func(rep *Replication) float64 { return rep.Series[len(rep.Series)-1][m] }
	}
	for _, tc := range []struct {
		name    string
		key     string
		values  []float64
		set     func(c *Config)
		outcome outcome
		up      bool
	}{
		{"staffing shortens the wait", "service.staffing", []float64{2, 2.5, 3.5}, nil, average(WaitMinutes), false},
		{"staffing raises cost to serve", "service.staffing", []float64{2, 2.5, 3.5}, nil, costToServe, true},
		{"staffing raises goodwill", "service.staffing", []float64{2, 2.5, 3.5}, nil, average(GoodwillMean), true},
		{"training raises skill", "staff.training_range", []float64{0, 0.5, 1}, func(c *Config) { c.Policy.People = 1 }, last(StaffSkill), true},
		{"the people dial lowers attrition", "policy.people", []float64{0, 0.5, 1}, nil, average(StaffAttrition), false},
		{"the people dial raises engagement", "policy.people", []float64{0, 0.5, 1}, nil, average(StaffEngagement), true},
		{"the people dial raises skill", "policy.people", []float64{0, 0.5, 1}, nil, last(StaffSkill), true},
	} {
		t.Run(tc.name, func(t *testing.T) { sweepMoves(t, base, tc.key, tc.values, tc.set, tc.outcome, tc.up) })
	}
}

// The value after the horizon takes the frontline as the horizon leaves
// it. With the people dial at 0 skill falls from period to period, and so
// does a human contact's cost; every customer has the same retention r
// and goodwill moves nothing, so customer equity at a horizon of T periods
// is, given the N customers still active after it,
//
//	N (1+d)^-T m(T) (1+d)/(1+d-r)
//
// where m(T) is list price less unit cost, the expected contacts' cost
// (human contacts at the pay factor and the skill s(T) of the recursion)
// and the staff cost per customer at s(T). Base churn has a small spread
// sigma (see constantRetention): a customer's value moves by about
// sigma/(1+d-r) relative, so the mean of N of them is this within 4
// sigma/((1+d-r) sqrt(N)) relative, 4 standard errors.
func TestHorizonValueTakesTheFrontlineAtTheHorizon(t *testing.T) {
	const r = 0.9
	cfg := neutral()
	constantRetention(&cfg, r)
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 2000, 12, 3
	cfg.Service.ContactRate, cfg.Policy.HumanShare, cfg.Churn.GoodwillEffect = 0.8, 0.4, 0
	cfg.Policy.People, cfg.Policy.StaffSkill = 0, 0.8
	law := newStaffLaw(&cfg)
	skill, _ := law.path(&cfg)
	s := &cfg.Service
	margin := func(skill float64) float64 {
		p := cfg.Policy.HumanShare + (1-cfg.Policy.HumanShare)*s.Escalation
		humanCost := law.pay * (s.HumanCostBasic + (s.HumanCostSkilled-s.HumanCostBasic)*skill)
		contact := (1-cfg.Policy.HumanShare)*s.SelfCost + p*humanCost
		return cfg.Pricing.ListPrice - cfg.Pricing.UnitCost - s.ContactRate*contact - law.costPerCustomer(&cfg, skill)
	}
	last := skill[len(skill)-1]
	atHorizon := (1 - law.attrition) * (last + law.training*(1-last))
	mT, m0 := margin(atHorizon), margin(skill[0])
	if math.Abs(mT-m0) < 1e-3*math.Abs(mT) {
		t.Fatalf("margin %.6f at the horizon and %.6f at the start: the world does not tell them apart", mT, m0)
	}
	d := periodRate(&cfg)
	T := float64(cfg.Horizon.Periods)
	a, b := cfg.Churn.Alpha, cfg.Churn.Beta
	sigma := math.Sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)))
	for i, rep := range run(t, cfg).Reps {
		end := rep.Series[len(rep.Series)-1]
		n := end[Active] - end[Churned]
		want := n * math.Pow(1+d, -T) * mT * (1 + d) / (1 + d - r)
		if math.Abs(rep.Equity-want) > 4*sigma/((1+d-r)*math.Sqrt(n))*want {
			t.Errorf("replication %d: customer equity %.3f, want %.3f with the frontline at the horizon (%.3f at the start)",
				i, rep.Equity, want, n*math.Pow(1+d, -T)*m0*(1+d)/(1+d-r))
		}
	}
}

// At the ends of skill and attrition the training share that holds skill
// steady, s a / ((1 - a)(1 - s)), is 0/0 or x/0: a firm whose staff start
// fully skilled and never leave, or start unskilled and all leave each
// period, still has a training share in [0, 1] (1, the most it can train),
// and a frontline with finite costs.
func TestFrontlineAtTheEnds(t *testing.T) {
	for _, tc := range []struct{ skill, attrition float64 }{{1, 0}, {0, 1}, {1, 1}, {0, 0}} {
		cfg := Default()
		cfg.Policy.StaffSkill, cfg.Staff.Attrition = tc.skill, tc.attrition
		cfg.Staff.PayAttrition, cfg.Staff.LoadAttrition = 0, 0 // attrition as set, whatever pay and load
		f := newFrontline(&cfg)
		cost := f.costPerCustomer(&cfg)
		if !(f.training >= 0 && f.training <= 1) || math.IsNaN(cost) || math.IsInf(cost, 0) {
			t.Errorf("skill %g, attrition %g: training share %v, staff cost per customer %v; want a share in [0, 1] and a finite cost", tc.skill, tc.attrition, f.training, cost)
		}
	}
}
