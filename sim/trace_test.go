package sim_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/retsim/retsim/sim"
)

// runOne is replication rep of cfg as Run simulates it.
func runOne(t *testing.T, cfg sim.Config, rep int) *sim.Replication {
	t.Helper()
	res, err := sim.Run(context.Background(), "run", cfg, sim.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	return &res.Reps[rep]
}

// TestTraceChangesNothing: the replication Trace simulates while it records
// a customer is the one Run simulates, to the bit, in a stepped world and
// in one where every customer settles.
func TestTraceChangesNothing(t *testing.T) {
	for _, name := range []string{"giving", "taking", "settled"} {
		t.Run(name, func(t *testing.T) {
			cfg := sim.Default()
			cfg.Population.Initial = 300
			cfg.Horizon.Periods = 24
			cfg.Replications = 3
			if name == "settled" {
				settle(t, &cfg)
			} else if err := cfg.Set("policy.giving", map[string]float64{"giving": 1, "taking": 0}[name]); err != nil {
				t.Fatal(err)
			}
			story, rep, err := sim.Trace(context.Background(), cfg, 2, 17)
			if err != nil {
				t.Fatal(err)
			}
			if want := runOne(t, cfg, 2); !reflect.DeepEqual(rep, want) {
				t.Error("the traced replication differs from Run's")
			}
			if story.Replication != 2 || story.Customer != 17 || len(story.Periods) == 0 {
				t.Errorf("story of replication %d, customer %d, %d periods", story.Replication, story.Customer, len(story.Periods))
			}
		})
	}
}

// oneCustomer is a world of one customer, who is never joined by anyone:
// every aggregate of a replication is that customer's.
func oneCustomer(giving float64, contacts, incidents float64) sim.Config {
	cfg := sim.Default()
	cfg.Population.Initial = 1
	cfg.Market.PaidPerPeriod = 0
	cfg.Advocacy.ReferralConversion = 0
	cfg.Horizon.Periods = 120
	cfg.Replications = 40
	cfg.Policy.Giving = giving
	cfg.Service.ContactRate = contacts
	cfg.Incidents.Rate = incidents
	return cfg
}

// settle makes cfg a world in which nothing can happen to a customer, as
// the built-in neutral does: every customer settles as it joins.
func settle(t *testing.T, cfg *sim.Config) {
	t.Helper()
	for _, key := range []string{"market.paid_per_period", "advocacy.referral_rate", "service.contact_rate", "incidents.rate",
		"taking.loyalty_rise", "taking.upsell_rate", "giving.advice_rate", "discounts.retention_depth", "discounts.depth"} {
		if err := cfg.Set(key, 0); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTraceMatchesAggregates: in a world of one customer, the story agrees
// with the replication's aggregates, period by period: the same active
// periods and the same leaving period, revenue, fees, discounts, contacts
// (human ones too), incidents, gestures, advice taken, referrals, goodwill,
// recommendation class and margin. Checked in every replication, with
// frequent events, without them (the customer is settled), under giving
// and under taking.
func TestTraceMatchesAggregates(t *testing.T) {
	for _, tc := range []struct {
		name                       string
		giving, contacts, incident float64
	}{
		{"giving, busy", 1, 0.8, 0.5},
		{"taking, busy", 0, 0.8, 0.5},
		{"settled", 0.5, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := oneCustomer(tc.giving, tc.contacts, tc.incident)
			if tc.name == "settled" {
				settle(t, &cfg)
			}
			res, err := sim.Run(context.Background(), "one", cfg, sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			left, events := 0, 0
			for r := range cfg.Replications {
				story, _, err := sim.Trace(context.Background(), cfg, r, 0)
				if err != nil {
					t.Fatal(err)
				}
				if story.Settled != (tc.contacts == 0) {
					t.Errorf("replication %d: settled %v", r, story.Settled)
				}
				series := res.Reps[r].Series
				for tt, row := range series {
					if tt >= len(story.Periods) {
						if row[sim.Active] != 0 {
							t.Errorf("replication %d, period %d: active %g after the story's end", r, tt, row[sim.Active])
						}
						continue
					}
					p := story.Periods[tt]
					class := map[string][2]float64{"promoter": {1, 0}, "passive": {0, 0}, "detractor": {0, 1}}[p.Class]
					for _, c := range []struct {
						m    sim.Metric
						want float64
					}{
						{sim.Active, 1}, {sim.Churned, float64(b2f(p.Left))}, {sim.Revenue, p.Revenue}, {sim.Fees, p.Fees},
						{sim.DiscountsGiven, p.Discount}, {sim.Contacts, float64(p.Contacts)}, {sim.HumanContacts, float64(p.HumanContacts)},
						{sim.IncidentCount, float64(p.Incidents)}, {sim.Gestures, float64(p.Gestures)},
						{sim.AdviceTaken, float64(b2f(p.MovedDown))}, {sim.Referrals, float64(b2f(p.Referred))},
						{sim.GoodwillMean, p.Goodwill}, {sim.Promoters, class[0]}, {sim.Detractors, class[1]},
					} {
						if !near(row[c.m], c.want) {
							t.Errorf("replication %d, period %d: %s %g, story says %g", r, tt, c.m, row[c.m], c.want)
						}
					}
					events += p.Contacts + p.Incidents
				}
				if story.Left >= 0 {
					left++
					if story.Left != len(story.Periods)-1 {
						t.Errorf("replication %d: left in period %d, story of %d periods", r, story.Left, len(story.Periods))
					}
				}
				// The cohort tables' margin of the initial cohort, by age, is the story's.
				ct := res.Reps[r].Cohorts
				for a, p := range story.Periods {
					if got := ct.Margin[a]; !near(got, p.Margin) {
						t.Errorf("replication %d, age %d: cohort margin %g, story says %g", r, a, got, p.Margin)
					}
				}
			}
			// A test that cannot fail is a defect: the stories must leave and
			// (when busy) hold events. At default churn (about 2% a month) a
			// customer stays 120 months with probability under 0.1 in each
			// replication, so a run of 40 with nobody leaving is (0.1)^40.
			if left == 0 || (tc.contacts > 0) != (events > 0) {
				t.Errorf("%d of %d customers left, %d events", left, cfg.Replications, events)
			}
		})
	}
}

// TestTraceCommonRandomNumbers: under two policies run with the same seed
// the customer has the same traits (threshold coupling's resistance
// included), and where the policy leaves its goodwill higher every period
// its hazard is lower, so it never leaves earlier.
func TestTraceCommonRandomNumbers(t *testing.T) {
	for r := range 20 {
		var stories [2]*sim.Story
		for i, giving := range []float64{0, 1} {
			cfg := oneCustomer(giving, 0, 0) // no events: the policies differ in prices only
			s, _, err := sim.Trace(context.Background(), cfg, r, 0)
			if err != nil {
				t.Fatal(err)
			}
			stories[i] = s
		}
		take, give := stories[0], stories[1]
		if take.Theta != give.Theta || take.Resistance != give.Resistance || take.LTROffset != give.LTROffset || take.Overpay != give.Overpay {
			t.Fatalf("replication %d: traits differ: %+v, %+v", r, take, give)
		}
		if take.Left >= 0 && give.Left >= 0 && give.Left < take.Left {
			t.Errorf("replication %d: giving's customer left in period %d, before taking's (%d)", r, give.Left, take.Left)
		}
		if give.Left >= 0 && take.Left < 0 {
			t.Errorf("replication %d: only giving's customer left", r)
		}
	}
}

// TestTraceRefuses: a replication or customer out of range is refused,
// with the range allowed.
func TestTraceRefuses(t *testing.T) {
	cfg := oneCustomer(1, 0, 0)
	cfg.Population.Initial = 3
	reps := fmt.Sprintf("must be from 0 to %d", cfg.Replications-1)
	for _, c := range []struct {
		rep, customer int
		allowed       string
	}{{-1, 0, reps}, {cfg.Replications, 0, reps}, {0, 3, "must be from 0 to 2, the initial customers"}, {0, -1, "from 0 to 2"}} {
		if _, _, err := sim.Trace(context.Background(), cfg, c.rep, c.customer); err == nil || !strings.Contains(err.Error(), c.allowed) {
			t.Errorf("replication %d, customer %d: error %v, want one saying %q", c.rep, c.customer, err, c.allowed)
		}
	}
}

// The story's theta is the customer's base churn probability per period,
// 1 - e^-hazard: where every customer's is 0.1 (Beta(1e8, 9e8), standard
// deviation 1e-5), the story says 0.1.
func TestTraceTheta(t *testing.T) {
	cfg := oneCustomer(0, 0, 0)
	cfg.Churn.Alpha, cfg.Churn.Beta = 1e8, 9e8
	story, _, err := sim.Trace(context.Background(), cfg, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(story.Theta-0.1) > 1e-3 {
		t.Errorf("theta %g, want 0.1", story.Theta)
	}
}

func b2f(b bool) int {
	if b {
		return 1
	}
	return 0
}

// near is equality to a relative 1e-12, for sums the engine adds in
// another order than one customer's story.
func near(a, b float64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	return d <= 1e-12*max(1, abs(a), abs(b))
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// Trace follows one customer of a replication period by period.
func ExampleTrace() {
	cfg := sim.Default()
	cfg.Population.Initial = 100
	cfg.Horizon.Periods = 12
	cfg.Replications = 1
	story, _, err := sim.Trace(context.Background(), cfg, 0, 7)
	if err != nil {
		fmt.Println(err)
		return
	}
	first := story.Periods[0]
	fmt.Println("customer", story.Customer, "of replication", story.Replication)
	fmt.Println("periods recorded:", len(story.Periods) > 0, "first period:", first.Period)
	fmt.Println("a class each period:", first.Class != "")
	// Output:
	// customer 7 of replication 0
	// periods recorded: true first period: 0
	// a class each period: true
}

// An initial customer joined during the year before period 0 (its
// anniversary falls anywhere in the year), so its story's tenure starts
// between 0 and periods_per_year - 1 and grows by one each period.
func TestTraceTenure(t *testing.T) {
	cfg := oneCustomer(0.5, 0.3, 0.03)
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 20, 6, 1
	ppy, later := cfg.Horizon.PeriodsPerYear, 0
	for k := range cfg.Population.Initial {
		story, _, err := sim.Trace(context.Background(), cfg, 0, k)
		if err != nil {
			t.Fatal(err)
		}
		start := story.Periods[0].Tenure
		if start < 0 || start >= ppy {
			t.Errorf("customer %d: tenure %d in period 0, want 0 to %d", k, start, ppy-1)
		}
		if start > 0 {
			later++
		}
		for _, p := range story.Periods {
			if p.Tenure != start+p.Period {
				t.Errorf("customer %d: tenure %d in period %d, want %d", k, p.Tenure, p.Period, start+p.Period)
			}
		}
	}
	if later == 0 {
		t.Errorf("every one of %d initial customers has tenure 0 in period 0; want anniversaries spread over the year", cfg.Population.Initial)
	}
}
