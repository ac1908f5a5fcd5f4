package sim

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

// sizeKeys size the run itself (memory and time), not its values: at their
// bounds they are the resource guards' business, not a test's.
var sizeKeys = map[string]bool{"replications": true, "horizon.periods": true, "horizon.periods_per_year": true,
	"population.initial": true, "market.potential": true, "market.paid_per_period": true, "discounts.months": true}

// small is a quick configuration with every mechanism at work.
func small() Config {
	c := Default()
	c.Population.Initial, c.Horizon.Periods, c.Replications = 40, 30, 2
	c.Market.PaidPerPeriod = 5
	return c
}

// Every allowed extreme must give finite results within MaxMagnitude: each
// bounded parameter alone at its upper bound, every money parameter at its
// bound at once, and the loyalty penalty compounding just under its limit
// with every money parameter at its bound.
func TestAllowedExtremesStayFinite(t *testing.T) {
	type extreme struct {
		name string
		set  func(*Config) error
	}
	var cases []extreme
	for _, p := range Params {
		if math.IsInf(p.Max, 1) || sizeKeys[p.Key] {
			continue
		}
		cases = append(cases, extreme{p.Key + " at its bound", func(c *Config) error { return c.Set(p.Key, p.Max) }})
	}
	allMoney := func(c *Config) error {
		for _, p := range Params {
			if p.Unit != "" && strings.HasPrefix(p.Unit, "currency") {
				if err := c.Set(p.Key, p.Max); err != nil {
					return err
				}
			}
		}
		return nil
	}
	cases = append(cases, extreme{"every money parameter at its bound", allMoney},
		extreme{"loyalty penalty just under its limit", func(c *Config) error {
			// 100 anniversaries at a factor just under 10 a year: about 0.99e100.
			c.Horizon.Periods, c.Horizon.PeriodsPerYear, c.Discounts.Months = 200, 2, 1
			c.Policy.Giving, c.Taking.LoyaltyRise = 0, math.Pow(0.99e100, 1.0/100)-1
			c.Churn.Alpha, c.Churn.Beta = 0.1, 100 // some customers stay for the whole horizon
			return allMoney(c)
		}},
		extreme{"a free service (list price 0) charging the fix fee", func(c *Config) error {
			// The fee's goodwill cost is relative to the list price: none is
			// taken where there is no price, rather than an infinite one.
			c.Pricing.ListPrice, c.Policy.Giving, c.Incidents.Rate = 0, 0, 0.5
			return nil
		}})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := small()
			if err := tc.set(&cfg); err != nil {
				t.Fatal(err)
			}
			if err := cfg.Validate(); err != nil {
				t.Skipf("not a valid configuration: %v", err)
			}
			if _, err := Run(context.Background(), "extreme", cfg, Options{}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestLoyaltyPenaltyBeyondItsLimitIsRefused(t *testing.T) {
	cfg := small()
	cfg.Horizon.Periods, cfg.Horizon.PeriodsPerYear, cfg.Discounts.Months = 10000, 1, 1
	cfg.Policy.Giving, cfg.Taking.LoyaltyRise = 0, 0.08 // 1.08^10000: about 1e334
	var pe *ParamError
	if err := cfg.Validate(); !errors.As(err, &pe) || pe.Key != "taking.loyalty_rise" {
		t.Fatalf("Validate() = %v, want an error naming taking.loyalty_rise", err)
	}
}

func TestCheckFiniteNamesTheParameters(t *testing.T) {
	cfg := small()
	cfg.Pricing.ListPrice = 5e8
	rep := Replication{Series: make([][NumMetrics]float64, 4), Cohorts: newCohortTable(Horizon{Periods: 4, PeriodsPerYear: 12})}
	if err := checkFinite(&cfg, 0, &rep); err != nil {
		t.Fatalf("zeros: %v", err)
	}
	for _, x := range []float64{math.Inf(1), math.NaN(), -2 * MaxMagnitude} {
		rep.Series[2][Revenue] = x
		err := checkFinite(&cfg, 7, &rep)
		var nf *NonFiniteError
		if !errors.As(err, &nf) || nf.Replication != 7 || nf.Period != 2 || nf.Quantity != "revenue" ||
			len(nf.Causes) == 0 || nf.Causes[0] != "pricing.list_price=5e+08" {
			t.Errorf("revenue %v: got %#v, want replication 7, period 2, revenue, pricing.list_price=5e+08 first", x, err)
		}
	}
}

// A world where every customer settles keeps no slot for its customers,
// however many there are.
func TestSettledWorldKeepsNoSlots(t *testing.T) {
	cfg := neutral()
	cfg.Population.Initial = 50_000_000 // 2.8 GB of slots if it kept them
	w, err := newWorld(&cfg, 0, newStreams(), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !w.m.settlesAll() || cap(w.customers) != 0 {
		t.Errorf("settles all %v, %d slots; want true, 0", w.m.settlesAll(), cap(w.customers))
	}
}

// MaxCustomers fails a replication that outgrows it, as soon as it does
// (150 initial customers against a cap of 100), and changes nothing in one
// that does not.
func TestMaxCustomers(t *testing.T) {
	cfg := small()
	for _, initial := range []int{400, 150} {
		cfg.Population.Initial = initial
		_, err := Run(context.Background(), "capped", cfg, Options{MaxCustomers: 100})
		var tm *TooManyCustomersError
		if !errors.As(err, &tm) || tm.Limit != 100 || tm.Period != 0 {
			t.Errorf("MaxCustomers 100 with %d initial customers: got %v, want a TooManyCustomersError in period 0", initial, err)
		}
	}
	free := run(t, cfg)
	roomy, err := Run(context.Background(), "roomy", cfg, Options{MaxCustomers: 10000})
	if err != nil {
		t.Fatal(err)
	}
	compareResults(t, free, roomy)
}

// A panic while simulating is an *InternalError, not a crash.
func TestPanicIsInternalError(t *testing.T) {
	cfg := small()
	cfg.Horizon.PeriodsPerYear = 0 // not allowed: divides by zero
	var buf []customer
	_, err := safeSimulate(context.Background(), &cfg, 0, newStreams(), &buf, 0)
	var ie *InternalError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "divide by zero") {
		t.Errorf("got %v, want an InternalError for the division by zero", err)
	}
}

// The forecast's referral growth is exact in expectation when every
// customer is a promoter and nothing moves goodwill: joiners by referral
// are q x N(t) per period in an unlimited market. The test allows 5%, many
// Monte Carlo standard errors of 4 replications of 2000 customers.
func TestEstimateFollowsReferralGrowth(t *testing.T) {
	cfg := neutral()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 2000, 40, 4
	cfg.Advocacy.LTRNeutral, cfg.Advocacy.LTRSpread = 10, 0               // everyone a promoter
	cfg.Advocacy.ReferralRate, cfg.Advocacy.ReferralConversion = 0.2, 0.5 // q = 0.1: about tenfold growth
	est := EstimateRun(cfg, 2)
	months := 0.0
	for _, rep := range run(t, cfg).Reps {
		for _, row := range rep.Series {
			months += row[Active]
		}
	}
	t.Logf("forecast %.0f customer-months, simulated %.0f", est.CustomerMonths, months)
	if ratio := est.CustomerMonths / months; ratio < 0.95 || ratio > 1.05 {
		t.Errorf("forecast %.0f customer-months, simulated %.0f (ratio %.3f)", est.CustomerMonths, months, ratio)
	}
	if est.PeakBy.Referred <= 0 || est.Settled {
		t.Errorf("estimate %+v: want referred customers at the peak", est)
	}
}

// Whatever the allowed configuration, the forecast is finite: geometric
// referral growth in an unlimited market over the longest horizon, and the
// largest tables, are forecast as huge numbers, not as overflows, and a
// finite market caps the customers.
func TestEstimateIsFiniteAtTheBounds(t *testing.T) {
	cfg := Default()
	cfg.Horizon.Periods, cfg.Horizon.PeriodsPerYear, cfg.Replications = 10000, 1, 10_000_000
	cfg.Discounts.Months = 1
	cfg.Population.Initial, cfg.Market.PaidPerPeriod, cfg.Discounts.Lift = 1e9, 1e9, 100
	cfg.Advocacy.ReferralRate, cfg.Advocacy.ReferralConversion = 1, 1
	est := EstimateRun(cfg, 64)
	for name, x := range map[string]float64{"bytes": est.Bytes, "customer-months": est.CustomerMonths, "customers": est.Customers} {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 1e20 {
			t.Errorf("%s: %g, want finite and huge", name, x)
		}
	}
	if cause, _ := est.MemoryCause(cfg); !strings.Contains(cause, "referral growth") {
		t.Errorf("memory cause %q, want referral growth", cause)
	}
	cfg.Market.Potential = 2e9
	if est := EstimateRun(cfg, 64); est.PeakCustomers > 2e9 {
		t.Errorf("market of 2e9: peak %g customers", est.PeakCustomers)
	}
}

// makeRoom fills the customer slice to exactly maxCustomers and never
// beyond: no array it makes holds more than the cap, and all the arrays
// the slice has had sum to at most twice the cap (the bound that
// Estimate.MaxCustomersWithin counts on).
func TestMakeRoomStaysWithinTheCap(t *testing.T) {
	for _, limit := range []int{1, 100, 1500, 3000, 5000, 10000} {
		w := &world{maxCustomers: limit}
		arrays := 0
		for {
			if len(w.customers) == cap(w.customers) {
				if !w.makeRoom() {
					break
				}
				if c := cap(w.customers); c > limit || c <= len(w.customers) {
					t.Fatalf("cap %d: makeRoom at %d customers made room for %d", limit, len(w.customers), c)
				}
				arrays += cap(w.customers)
			}
			w.customers = append(w.customers, customer{})
		}
		if len(w.customers) != limit || arrays > 2*limit {
			t.Errorf("cap %d: full at %d customers, arrays of %d customers in all; want %d and at most %d", limit, len(w.customers), arrays, limit, 2*limit)
		}
	}
}
