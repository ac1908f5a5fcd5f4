package sim

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// TestSettlingChangesNothing runs worlds where some or all customers settle
// (see settles) with settling on and off: every count must be equal and
// every sum equal to rounding (1e-9 relative), period by period and cohort
// cell by cell, and so must the value after the horizon. Each case also checks how many of its first customers
// settle, so that it tests what it says.
func TestSettlingChangesNothing(t *testing.T) {
	cases := []struct {
		name     string
		settled  string // "all", "some" or "none" of the initial customers
		override func(*Config)
	}{
		{"neutral", "all", func(c *Config) {}},
		{"market, referrals and word of mouth", "some", func(c *Config) {
			c.Market.PaidPerPeriod, c.Market.Potential, c.Market.Deterrence = 200, 20000, 0.5
			c.Advocacy.ReferralRate = 0.05
		}},
		{"fixed goodwill, premium, plan fit", "some", func(c *Config) {
			c.Goodwill.Initial, c.Goodwill.Decay = 0.4, 1
			c.Pricing.GoodwillPremium, c.Pricing.OverpayShare, c.Pricing.OverpayMargin = 0.1, 0.3, 0.2
			c.Giving.AdviceRate, c.Policy.Giving = 0.2, 0.5
			c.Advocacy.ReferralRate = 0.03
			c.Market.PaidPerPeriod = 100
		}},
		{"goodwill that fades", "none", func(c *Config) {
			c.Goodwill.Initial, c.Goodwill.Decay = 0.4, 0.9
		}},
		{"acquisition discounts only", "all", func(c *Config) {
			c.Market.PaidPerPeriod, c.Discounts.Depth, c.Policy.Generosity = 100, 0.3, 0
		}},
		{"loyalty rises", "none", func(c *Config) {
			c.Taking.LoyaltyRise, c.Policy.Giving = 0.08, 0
		}},
		{"uncertain churn parameters", "all", func(c *Config) {
			c.Churn.AlphaSD, c.Churn.BetaSD = 0.1, 2
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := neutral()
			cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 2000, 30, 3
			tc.override(&cfg)

			w, err := newWorld(&cfg, 0, newStreams(), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			w.join(context.Background(), 0, ChannelInitial, cfg.Population.Initial)
			stepped := len(w.customers)
			want := map[string]bool{"all": stepped == 0, "some": stepped > 0 && stepped < cfg.Population.Initial, "none": stepped == cfg.Population.Initial}
			if !want[tc.settled] {
				t.Fatalf("%d of %d initial customers are stepped, want %s of them settled", stepped, cfg.Population.Initial, tc.settled)
			}

			on := run(t, cfg)
			settling = false
			off := run(t, cfg)
			settling = true
			compareResults(t, on, off)
		})
	}
}

func compareResults(t *testing.T, a, b *Result) {
	t.Helper()
	near := func(x, y float64) bool { return math.Abs(x-y) <= 1e-9*max(1, math.Abs(x), math.Abs(y)) }
	counts := []Metric{Active, Churned, Acquired, AcquiredPaid, AcquiredDiscount, AcquiredReferral, Referrals,
		ActiveInitial, ActivePaid, ActiveDiscount, ActiveReferral}
	for i := range a.Reps {
		for p := range a.Reps[i].Series {
			ra, rb := &a.Reps[i].Series[p], &b.Reps[i].Series[p]
			for _, m := range counts {
				if ra[m] != rb[m] {
					t.Fatalf("replication %d period %d: %s = %v settling, %v stepping", i, p, m, ra[m], rb[m])
				}
			}
			for m := range ra {
				if !near(ra[m], rb[m]) {
					t.Fatalf("replication %d period %d: %s = %v settling, %v stepping", i, p, Metric(m), ra[m], rb[m])
				}
			}
		}
		ca, cb := &a.Reps[i].Cohorts, &b.Reps[i].Cohorts
		for k := range ca.Alive {
			if ca.Alive[k] != cb.Alive[k] || !near(ca.Margin[k], cb.Margin[k]) {
				t.Fatalf("replication %d cohort index %d: alive %v, margin %v settling; %v, %v stepping",
					i, k, ca.Alive[k], ca.Margin[k], cb.Alive[k], cb.Margin[k])
			}
		}
		for k := range ca.Residual {
			if !near(ca.Residual[k], cb.Residual[k]) {
				t.Fatalf("replication %d cohort cell %d: value after the horizon %v settling, %v stepping", i, k, ca.Residual[k], cb.Residual[k])
			}
		}
		if ea, eb := a.Reps[i].Equity, b.Reps[i].Equity; !near(ea, eb) || ea <= 0 {
			t.Fatalf("replication %d: customer equity %v settling, %v stepping; want equal and positive", i, ea, eb)
		}
	}
}

// TestExhaustsMatchesSubtracting checks exhausts against the subtractions
// it stands for, at random and at ratios r/h within rounding of an integer.
func TestExhaustsMatchesSubtracting(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 500000; i++ {
		res, h, n := r.ExpFloat64(), math.Exp(-9*r.Float64()), 1+r.IntN(120)
		if i%2 == 1 { // r within a few units in the last place of a multiple of h
			res = math.Nextafter(float64(1+r.IntN(n+1))*h, math.Inf(r.IntN(2)*2-1))
		}
		want, left := n+1, res
		for k := 1; k <= n; k++ {
			if left -= h; left <= 0 {
				want = k
				break
			}
		}
		if got := exhausts(res, h, n); got != want {
			t.Fatalf("exhausts(%v, %v, %d) = %d, want %d", res, h, n, got, want)
		}
	}
}
