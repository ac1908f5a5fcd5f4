package sim

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// The tests in this file pin each mechanism (M1-M11 of MODEL.md) to its
// documented equation. Every expected value is computed here, from the
// equation and the parameters, never by calling the engine's own helpers;
// the worlds are small and chosen so that the expectation is known: a base
// churn the same for every customer, goodwill held fixed or moved only by
// deterministic price changes, every customer of one NPS class. Monte Carlo
// checks allow tolSE standard errors, computed from the law of the count
// (binomial or Poisson) or from the spread across replications.

// tolSE is how many Monte Carlo standard errors a check allows.
const tolSE = 5

// paths runs f as two subtests: with customers whom nothing can happen to
// settled in closed form (see settles), and with every customer stepped
// period by period. Each mechanism must give the same law on both.
func paths(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	for _, on := range []bool{true, false} {
		name := "stepped"
		if on {
			name = "settled"
		}
		t.Run(name, func(t *testing.T) {
			settling = on
			defer func() { settling = true }()
			f(t)
		})
	}
}

// fixedChurn gives every customer the base churn probability theta: a
// Beta(k theta, k (1 - theta)) with k = 1e9 has a standard deviation below
// 2e-5.
func fixedChurn(c *Config, theta float64) {
	const k = 1e9
	c.Churn.Alpha, c.Churn.Beta = k*theta, k*(1-theta)
}

// noChurn makes base churn negligible: Beta(0.001, 1e9) has mean 1e-12.
func noChurn(c *Config) { c.Churn.Alpha, c.Churn.Beta = 1e-3, 1e9 }

// sum adds metric m in period p over every replication.
func sum(r *Result, m Metric, p int) float64 {
	s := 0.0
	for i := range r.Reps {
		s += r.Reps[i].Series[p][m]
	}
	return s
}

// sumRange adds metric m over periods from..to (inclusive) and every
// replication.
func sumRange(r *Result, m Metric, from, to int) float64 {
	s := 0.0
	for p := from; p <= to; p++ {
		s += sum(r, m, p)
	}
	return s
}

// closeSE reports an error when got is more than tolSE standard errors se
// (plus rounding) from want.
func closeSE(t *testing.T, what string, got, want, se float64) {
	t.Helper()
	if !(math.Abs(got-want) <= tolSE*se+1e-9*max(1, math.Abs(want))) { // NaN fails too
		t.Errorf("%s: %.6g, expected %.6g, %d SE = %.3g", what, got, want, tolSE, tolSE*se)
	}
}

// exact reports an error when got differs from want beyond rounding
// (relative tolerance rel).
func exact(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if !(math.Abs(got-want) <= rel*max(1, math.Abs(want))) { // NaN fails too
		t.Errorf("%s: %.12g, expected %.12g", what, got, want)
	}
}

// binomialSE is the standard error of a share with probability p over n
// trials.
func binomialSE(p, n float64) float64 { return math.Sqrt(p * (1 - p) / n) }

// churnedBy is, per period and replication, the customers of channel ch
// who left at the end of period p: active at p, plus those who joined at
// p+1, less those active at p+1.
func churnedBy(rep *Replication, ch Channel, p int) float64 {
	active, acquired := ActiveInitial+Metric(ch), AcquiredPaid+Metric(ch-ChannelPaid)
	joined := 0.0
	if ch != ChannelInitial {
		joined = rep.Series[p+1][acquired]
	}
	return rep.Series[p][active] + joined - rep.Series[p+1][active]
}

// M1, M2, M11: goodwill g shifts the complementary log-log of base churn
// theta, scaled by how easily customers can leave:
// h = 1 - (1 - theta)^exp(-goodwill_effect x (1 - switching.cost) x g),
// with the goodwill after the period's update (g x decay^(p+1) in period p
// for a customer who starts with g and has no experiences).
func TestGoodwillShiftsChurn(t *testing.T) {
	const theta = 0.1
	for _, tc := range []struct {
		name                        string
		g, decay, effect, switching float64
	}{
		{"neutral goodwill leaves base churn", 0, 1, 1, 0},
		{"goodwill lowers churn", 1, 1, 1, 0},
		{"ill will raises churn", -1, 1, 0.5, 0},
		{"switching costs damp goodwill's effect", 1, 1, 1, 0.5},
		{"prohibitive switching costs cancel it", -2, 1, 1, 1},
		{"fading goodwill", 2, 0.5, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			paths(t, func(t *testing.T) {
				cfg := neutral()
				fixedChurn(&cfg, theta)
				cfg.Goodwill.Initial, cfg.Goodwill.Decay = tc.g, tc.decay
				cfg.Churn.GoodwillEffect, cfg.Switching.Cost = tc.effect, tc.switching
				cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 4000, 5, 3
				r := run(t, cfg)
				for p := 0; p < cfg.Horizon.Periods; p++ {
					g := tc.g * math.Pow(tc.decay, float64(p+1))
					h := 1 - math.Pow(1-theta, math.Exp(-tc.effect*(1-tc.switching)*g))
					n := sum(r, Active, p)
					closeSE(t, "churn share", sum(r, Churned, p)/n, h, binomialSE(h, n))
				}
			})
		})
	}
}

// M2 and M5's price experiences, deterministic: with one period a year,
// every customer's tenure is the period, so every customer sees the same
// price path, price(n) = (1 + rise)^n x (1 - retention discount from
// n = 1), and the same goodwill,
// g(n) = decay x g(n-1) + good - bias x bad, where the change of price
// -sensitivity x (price(n)/price(n-1) - 1) is good when positive (the
// discount's cut) and bad when negative (each loyalty rise). The test
// follows both, period by period, for two positions of the dials
// (the rise scaled by 1 - giving, the retention discount by 1 - generosity).
func TestGoodwillFollowsPriceChanges(t *testing.T) {
	const (
		g0, rise, retention, sensitivity = 0.5, 0.08, 0.2, 2.0
	)
	for _, tc := range []struct{ giving, generosity, decay, bias float64 }{
		{0, 0, 0.85, 2.25},
		{0.5, 0.25, 0.6, 3},
	} {
		cfg := neutral()
		cfg.Horizon.PeriodsPerYear, cfg.Horizon.Periods = 1, 6
		cfg.Discounts.Months, cfg.Discounts.RetentionDepth = 1, retention
		cfg.Taking.LoyaltyRise, cfg.Pricing.PriceSensitivity = rise, sensitivity
		cfg.Policy.Giving, cfg.Policy.Generosity = tc.giving, tc.generosity
		cfg.Goodwill.Initial, cfg.Goodwill.Decay, cfg.Goodwill.NegativityBias = g0, tc.decay, tc.bias
		cfg.Population.Initial, cfg.Replications = 300, 1
		r := run(t, cfg)
		price := func(n int) float64 {
			f := math.Pow(1+rise*(1-tc.giving), float64(n))
			if n >= 1 {
				f *= 1 - retention*(1-tc.generosity)
			}
			return f
		}
		g := g0
		for n := 0; n < cfg.Horizon.Periods; n++ {
			var good, bad float64
			if n > 0 {
				shock := -sensitivity * (price(n)/price(n-1) - 1)
				good, bad = max(shock, 0), max(-shock, 0)
			}
			g = tc.decay*g + good - tc.bias*bad
			row := r.Reps[0].Series[n]
			exact(t, "goodwill", row[GoodwillMean], g, 1e-5) // goodwill is kept as float32
			exact(t, "revenue per customer", row[Revenue]/row[Active], cfg.Pricing.ListPrice*price(n), 1e-12)
			// Discounts given: the loyalty-risen price less the price paid.
			exact(t, "discounts per customer", row[DiscountsGiven]/row[Active],
				cfg.Pricing.ListPrice*(math.Pow(1+rise*(1-tc.giving), float64(n))-price(n)), 1e-12)
		}
	}
}

// M5's price path by tenure n for customers acquired during the run, read
// from the cohort tables' margin per customer alive (no events: revenue
// less unit cost):
//
//	price(n) = list x (1 + rise x (1 - giving))^floor(n / periods_per_year) x (1 - discount(n))
//	discount(n) = depth x (1 - generosity) for n < months,
//	              retention_depth x (1 - generosity) for n >= periods_per_year and n mod periods_per_year < months
//
// exactly, at every age of every acquired cohort; and for the initial
// customers, whose anniversaries are spread uniformly over the year before
// period 0 (tenure at period p is p + j, j uniform on 0..periods_per_year-1,
// with no acquisition discount), the mean of price(p + j) over j, within
// Monte Carlo error.
func TestPriceFollowsTenure(t *testing.T) {
	const list, depth, retention, rise, months, ppy = 30.0, 0.3, 0.1, 0.08, 3, 12
	for _, tc := range []struct{ giving, generosity float64 }{{0, 0}, {0.5, 0.5}, {1, 0.75}} {
		cfg := neutral()
		cfg.Horizon.PeriodsPerYear, cfg.Horizon.Periods = ppy, 30
		cfg.Market.PaidPerPeriod, cfg.Discounts.Lift = 20, 1
		cfg.Discounts.Depth, cfg.Discounts.Months, cfg.Discounts.RetentionDepth = depth, months, retention
		cfg.Taking.LoyaltyRise, cfg.Pricing.ListPrice = rise, list
		cfg.Policy.Giving, cfg.Policy.Generosity = tc.giving, tc.generosity
		cfg.Churn.GoodwillEffect = 0 // churn independent of the price path
		cfg.Population.Initial, cfg.Replications = 3000, 2
		r := run(t, cfg)
		price := func(n int, acquired bool) float64 {
			d := 0.0
			switch {
			case acquired && n < months:
				d = depth * (1 - tc.generosity)
			case n >= ppy && n%ppy < months:
				d = retention * (1 - tc.generosity)
			}
			return list * math.Pow(1+rise*(1-tc.giving), float64(n/ppy)) * (1 - d)
		}
		checked := 0
		for i := range r.Reps {
			ct := &r.Reps[i].Cohorts
			for cohort := 0; cohort < ct.Cohorts; cohort++ {
				for ch := ChannelPaid; ch < NumChannels; ch++ {
					for a := 0; a < ct.Ages; a++ {
						k := ct.cell(cohort, ch)*ct.Ages + a
						if ct.Alive[k] == 0 {
							continue
						}
						checked++
						exact(t, "acquired customers' price", ct.Margin[k]/ct.Alive[k]+cfg.Pricing.UnitCost, price(a, true), 1e-9)
					}
				}
			}
		}
		if checked < 50 {
			t.Fatalf("only %d acquired cohort cells checked", checked)
		}
		for p := 0; p < cfg.Horizon.Periods; p++ {
			prices := make([]float64, ppy)
			for j := range prices {
				prices[j] = price(p+j, false)
			}
			mean, sd := stat.PopMeanStdDev(prices, nil)
			var margin, alive float64
			for i := range r.Reps {
				ct := &r.Reps[i].Cohorts
				k := ct.cell(0, ChannelInitial)*ct.Ages + p
				margin += ct.Margin[k]
				alive += ct.Alive[k]
			}
			closeSE(t, "initial customers' mean price", margin/alive+cfg.Pricing.UnitCost, mean, sd/math.Sqrt(alive))
		}
	}
}

// M5 on the settled path: when the acquisition discount lasts the whole
// first year and the retention discount, as deep, every period after
// (discounts.months = periods_per_year), an acquired customer's price never
// changes: it settles, paying list x (1 - depth x (1 - generosity)) and
// being given the rest as a discount, every period.
func TestPermanentDiscount(t *testing.T) {
	const depth, generosity = 0.2, 0.25
	paths(t, func(t *testing.T) {
		cfg := neutral()
		cfg.Horizon.PeriodsPerYear, cfg.Horizon.Periods = 2, 6
		cfg.Discounts.Depth, cfg.Discounts.RetentionDepth, cfg.Discounts.Months, cfg.Policy.Generosity = depth, depth, 2, generosity
		cfg.Market.PaidPerPeriod, cfg.Population.Initial, cfg.Replications = 200, 0, 2
		r := run(t, cfg)
		list, d := cfg.Pricing.ListPrice, depth*(1-generosity)
		for i := range r.Reps {
			for _, row := range r.Reps[i].Series[1:] {
				exact(t, "revenue", row[Revenue], list*(1-d)*row[Active], 1e-12)
				exact(t, "discounts given", row[DiscountsGiven], list*d*row[Active], 1e-12)
			}
		}
	})
}

// M5: a price change is a relative change, undefined from a price of 0:
// the end of a free period (an acquisition discount of 100%) moves no
// goodwill, and goodwill stays at its neutral 0 with nothing else
// happening.
func TestFreePeriodMovesNoGoodwill(t *testing.T) {
	cfg := neutral()
	cfg.Discounts.Depth, cfg.Discounts.Months, cfg.Policy.Generosity = 1, 2, 0
	cfg.Market.PaidPerPeriod, cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 50, 100, 6, 1
	r := run(t, cfg)
	for p, row := range r.Reps[0].Series {
		exact(t, "mean goodwill in period "+fmtG(float64(p)), row[GoodwillMean], 0, 0)
	}
}

// M5: the price premium that goodwill sustains, price x (1 + premium x
// clamp(g, 0, 1)), with switching costs 0 (leaving free).
func TestGoodwillPremium(t *testing.T) {
	const premium = 0.16
	for _, g := range []float64{-1, 0, 0.5, 2} {
		paths(t, func(t *testing.T) {
			cfg := neutral()
			cfg.Switching.Cost = 0
			cfg.Pricing.GoodwillPremium = premium
			cfg.Goodwill.Initial, cfg.Goodwill.Decay = g, 1
			cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 300, 3, 1
			r := run(t, cfg)
			want := cfg.Pricing.ListPrice * (1 + premium*max(0, min(1, g)))
			for p := 0; p < cfg.Horizon.Periods; p++ {
				row := r.Reps[0].Series[p]
				exact(t, "revenue per customer at goodwill "+fmtG(g), row[Revenue]/row[Active], want, 1e-12)
				exact(t, "mean goodwill", row[GoodwillMean], g, 1e-12)
				exact(t, "discounts given", row[DiscountsGiven], 0, 0)
			}
		})
	}
}

// M7: likelihood to recommend, ltr_neutral + ltr_per_goodwill x g +
// offset, rounded half away from zero: 9-10 promoters, 7-8 passives, 0-6
// detractors (Reichheld 2003). With no spread every customer has the same
// score, so the shares are 0 or 1; at the class edges (8.5 rounds to 9,
// 6.5 to 7) the classes must be exact.
func TestNPSClasses(t *testing.T) {
	for _, tc := range []struct {
		neutral, perGoodwill, g float64
		class                   Metric
	}{
		{10, 0, 0, Promoters}, {9, 0, 0, Promoters}, {8.5, 0, 0, Promoters}, {8.49, 0, 0, Passives},
		{8, 0, 0, Passives}, {7, 0, 0, Passives}, {6.5, 0, 0, Passives}, {6.49, 0, 0, Detractors},
		{6, 0, 0, Detractors}, {0, 0, 0, Detractors},
		{6, 2.5, 1, Promoters}, {9, 2.5, -1, Passives}, {8, 2, -1, Detractors},
	} {
		paths(t, func(t *testing.T) {
			cfg := neutral()
			cfg.Advocacy.LTRNeutral, cfg.Advocacy.LTRPerGoodwill, cfg.Advocacy.LTRSpread = tc.neutral, tc.perGoodwill, 0
			cfg.Goodwill.Initial, cfg.Goodwill.Decay = tc.g, 1
			cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 200, 3, 1
			r := run(t, cfg)
			for p := 0; p < cfg.Horizon.Periods; p++ {
				row := r.Reps[0].Series[p]
				for _, m := range []Metric{Promoters, Passives, Detractors} {
					want := 0.0
					if m == tc.class {
						want = 1
					}
					if row[m] != want {
						t.Errorf("score %g + %g x %g: %s share %v, want %v", tc.neutral, tc.perGoodwill, tc.g, m, row[m], want)
					}
				}
				exact(t, "NPS", row[NPS], 100*(row[Promoters]-row[Detractors]), 1e-12)
			}
		})
	}
	// With personal offsets ~ Normal(0, spread) the shares are
	// P(neutral + offset >= 8.5) and P(neutral + offset < 6.5).
	paths(t, func(t *testing.T) {
		cfg := neutral()
		const mu, sigma, n = 8.0, 1.5, 20000
		cfg.Advocacy.LTRNeutral, cfg.Advocacy.LTRSpread = mu, sigma
		cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = n, 3, 1
		row := run(t, cfg).Reps[0].Series[0]
		z := distuv.UnitNormal
		pro, det := 1-z.CDF((8.5-mu)/sigma), z.CDF((6.5-mu)/sigma)
		closeSE(t, "promoters", row[Promoters], pro, binomialSE(pro, n))
		closeSE(t, "detractors", row[Detractors], det, binomialSE(det, n))
		exact(t, "passives", row[Passives], 1-row[Promoters]-row[Detractors], 1e-12)
	})
}

// M6: paid acquisitions are Poisson(paid_per_period x (1 - deterrence x
// detractor share)) and discount-led ones Poisson(paid_per_period x lift x
// depth x (1 - generosity) x (1 - deterrence x detractor share)) in an
// unlimited market, joining at the start of the next period; each costs CAC.
func TestAcquisitionAndDeterrence(t *testing.T) {
	const paid, deterrence, depth, generosity, lift = 300.0, 0.6, 0.3, 0.5, 2.0
	for _, tc := range []struct {
		name       string
		ltr        float64
		detractors float64
	}{{"every customer a detractor", 3, 1}, {"no detractor", 8, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			paths(t, func(t *testing.T) {
				cfg := neutral()
				cfg.Market.PaidPerPeriod, cfg.Market.Deterrence, cfg.Market.CAC = paid, deterrence, 10
				cfg.Discounts.Depth, cfg.Discounts.Months, cfg.Discounts.Lift, cfg.Policy.Generosity = depth, 0, lift, generosity
				cfg.Advocacy.LTRNeutral, cfg.Advocacy.LTRSpread = tc.ltr, 0
				cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 500, 8, 3
				r := run(t, cfg)
				last := cfg.Horizon.Periods - 1
				for _, c := range []struct {
					m    Metric
					rate float64
				}{
					{AcquiredPaid, paid * (1 - deterrence*tc.detractors)},
					{AcquiredDiscount, paid * lift * depth * (1 - generosity) * (1 - deterrence*tc.detractors)},
				} {
					want := c.rate * float64(last*cfg.Replications)
					closeSE(t, c.m.String(), sumRange(r, c.m, 1, last), want, math.Sqrt(want))
					if got := sum(r, c.m, 0); got != 0 {
						t.Errorf("%s in period 0: %v, want none (acquisitions join the period after)", c.m, got)
					}
				}
				for i := range r.Reps {
					for p, row := range r.Reps[i].Series {
						exact(t, "acquisition cost", row[CostAcquisition], cfg.Market.CAC*(row[AcquiredPaid]+row[AcquiredDiscount]), 1e-12)
						exact(t, "acquired", row[Acquired], row[AcquiredPaid]+row[AcquiredDiscount]+row[AcquiredReferral], 1e-12)
						if p > 0 {
							prev := r.Reps[i].Series[p-1]
							exact(t, "active", row[Active], prev[Active]-prev[Churned]+row[Acquired], 1e-12)
						}
					}
				}
			})
		})
	}
}

// M6: acquisitions stop at the market potential M: customers ever
// acquired, the initial ones included, never exceed it, and a market with
// room for fewer than one period's demand is filled in one period.
func TestMarketPotentialCapsAcquisition(t *testing.T) {
	paths(t, func(t *testing.T) {
		cfg := neutral()
		noChurn(&cfg)
		cfg.Market.Potential, cfg.Market.PaidPerPeriod = 1000, 5000
		cfg.Discounts.Depth, cfg.Discounts.Lift, cfg.Discounts.Months, cfg.Policy.Generosity = 0.3, 1, 0, 0
		cfg.Advocacy.LTRNeutral, cfg.Advocacy.LTRSpread, cfg.Advocacy.ReferralRate, cfg.Advocacy.ReferralConversion = 10, 0, 1, 1
		cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 600, 4, 2
		r := run(t, cfg)
		for i := range r.Reps {
			s := r.Reps[i].Series
			if got := s[1][Acquired]; got != 400 {
				t.Errorf("replication %d: %v acquired in period 1, want the 400 left in the market", i, got)
			}
			if s[2][Acquired] != 0 || s[3][Acquired] != 0 {
				t.Errorf("replication %d: acquisitions after the market is full: %v, %v", i, s[2][Acquired], s[3][Acquired])
			}
		}
	})
}

// M6: customers won by the discount (deal-seekers) have base churn
// min(1, theta x dealseeker_churn); paid customers keep theta.
func TestDealseekerChurn(t *testing.T) {
	const theta = 0.05
	for _, mult := range []float64{1, 3, 25} {
		paths(t, func(t *testing.T) {
			cfg := neutral()
			fixedChurn(&cfg, theta)
			cfg.Discounts.DealseekerChurn = mult
			cfg.Market.PaidPerPeriod, cfg.Discounts.Lift, cfg.Discounts.Depth, cfg.Discounts.Months = 400, 1, 0.5, 0
			cfg.Policy.Generosity = 0
			cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 0, 8, 3
			r := run(t, cfg)
			// With no initial customers, period 0 has nobody: no churn, and
			// no survival share of a first cohort that does not exist.
			for i := range r.Reps {
				row := r.Reps[i].Series[0]
				if row[Active] != 0 || row[ChurnRate] != 0 || row[Survival] != 0 {
					t.Errorf("period 0 without customers: active %v, churn rate %v, survival %v; want 0", row[Active], row[ChurnRate], row[Survival])
				}
			}
			for _, c := range []struct {
				ch Channel
				h  float64
			}{{ChannelPaid, theta}, {ChannelDiscount, min(1, theta*mult)}} {
				var churned, active float64
				for i := range r.Reps {
					for p := 0; p+1 < cfg.Horizon.Periods; p++ {
						churned += churnedBy(&r.Reps[i], c.ch, p)
						active += r.Reps[i].Series[p][ActiveInitial+Metric(c.ch)]
					}
				}
				closeSE(t, "churn share of "+c.ch.String()+" customers, multiplier "+fmtG(mult), churned/active, c.h, binomialSE(c.h, active))
			}
		})
	}
}

// M7: a promoter recommends with probability referral_rate a period; a
// recommendation converts with probability referral_conversion (the market
// unlimited) into a customer who joins the next period, and each costs
// referral_reward. Passives and detractors never recommend.
func TestReferrals(t *testing.T) {
	const rate, conversion, reward = 0.1, 0.5, 5.0
	for _, tc := range []struct {
		ltr       float64
		promoters bool
	}{{10, true}, {8, false}} {
		cfg := neutral()
		noChurn(&cfg)
		cfg.Advocacy.LTRNeutral, cfg.Advocacy.LTRSpread = tc.ltr, 0
		cfg.Advocacy.ReferralRate, cfg.Advocacy.ReferralConversion, cfg.Advocacy.ReferralReward = rate, conversion, reward
		cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 3000, 6, 2
		r := run(t, cfg)
		last := cfg.Horizon.Periods - 1
		referrals, active := sumRange(r, Referrals, 0, last), sumRange(r, Active, 0, last)
		if !tc.promoters {
			if referrals != 0 {
				t.Errorf("passives made %v recommendations, want none", referrals)
			}
			continue
		}
		closeSE(t, "recommendations per promoter", referrals/active, rate, binomialSE(rate, active))
		made := sumRange(r, Referrals, 0, last-1)
		closeSE(t, "conversions per recommendation", sumRange(r, AcquiredReferral, 1, last)/made, conversion, binomialSE(conversion, made))
		for i := range r.Reps {
			for _, row := range r.Reps[i].Series {
				exact(t, "referral cost", row[CostReferral], reward*row[AcquiredReferral], 1e-12)
			}
		}
	}
}

// M4 and M11: each incident (Poisson(rate) a period) carries a walk-away
// probability w' = walkaway x (1 - switching.cost) x (1 - fast_fix x
// giving), so a customer with negligible base churn leaves in a period
// with probability 1 - E[(1 - w')^N] = 1 - exp(-rate x w').
func TestIncidentWalkaway(t *testing.T) {
	const rate, walkaway, fastFix = 0.5, 0.2, 0.5
	for _, tc := range []struct{ switching, giving float64 }{{0, 0}, {0, 1}, {0.5, 0.5}, {1, 0}} {
		cfg := neutral()
		noChurn(&cfg)
		cfg.Churn.GoodwillEffect = 0
		cfg.Incidents.Rate, cfg.Churn.Walkaway, cfg.Giving.FastFix = rate, walkaway, fastFix
		cfg.Switching.Cost, cfg.Policy.Giving = tc.switching, tc.giving
		cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 4000, 5, 2
		r := run(t, cfg)
		h := 1 - math.Exp(-rate*walkaway*(1-tc.switching)*(1-fastFix*tc.giving))
		last := cfg.Horizon.Periods - 1
		n := sumRange(r, Active, 0, last)
		closeSE(t, "walk-away share at switching "+fmtG(tc.switching)+", giving "+fmtG(tc.giving),
			sumRange(r, Churned, 0, last)/n, h, binomialSE(h, n))
	}
	// A contact left unresolved carries walkaway x (1 - switching.cost),
	// with no fast fix. Every contact goes to a person, who resolves it with
	// probability human_resolution_basic + (human_resolution_skilled -
	// human_resolution_basic) x staff_skill; so the walk-away share is
	// 1 - exp(-contact_rate x (1 - resolution) x walkaway x (1 - switching.cost)).
	for _, tc := range []struct{ switching, basic, skilled, skill float64 }{{0, 0, 0, 0}, {0.5, 0, 0, 0}, {0, 0.2, 0.8, 0.25}} {
		cfg := neutral()
		noChurn(&cfg)
		cfg.Churn.GoodwillEffect, cfg.Churn.Walkaway, cfg.Switching.Cost = 0, walkaway, tc.switching
		cfg.Giving.FastFix, cfg.Policy.Giving = fastFix, 1
		cfg.Service.ContactRate, cfg.Policy.HumanShare, cfg.Policy.StaffSkill = rate, 1, tc.skill
		cfg.Service.HumanResolutionBasic, cfg.Service.HumanResolutionSkilled = tc.basic, tc.skilled
		cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 4000, 5, 2
		r := run(t, cfg)
		resolution := tc.basic + (tc.skilled-tc.basic)*tc.skill
		h := 1 - math.Exp(-rate*(1-resolution)*walkaway*(1-tc.switching))
		last := cfg.Horizon.Periods - 1
		n := sumRange(r, Active, 0, last)
		closeSE(t, "walk-away share after unresolved contacts at switching "+fmtG(tc.switching)+", resolution "+fmtG(resolution),
			sumRange(r, Churned, 0, last)/n, h, binomialSE(h, n))
	}
}

// M2 and M4: with incidents at Poisson(rate) a period, each a bad
// experience of severity x (1 - fast_fix x giving) plus the fee's own,
// fee_sensitivity x fix_fee x (1 - giving) / list_price (a one-off
// experience, not a price rise), weighted by the negativity bias, and a
// gesture (a good experience of gesture_goodwill) with probability
// gesture_rate x generosity, expected goodwill follows
// E[g(p)] = decay x E[g(p-1)] + rate x (gesture_rate x generosity x
// gesture_goodwill - bias x (severity x (1 - fast_fix x giving) + fee hurt)).
func TestIncidentsAndGesturesMoveGoodwill(t *testing.T) {
	const rate, decay, bias = 0.5, 0.85, 2.25
	for _, tc := range []struct {
		name                                                   string
		severity, fastFix, giving, gestureRate, generosity, gw float64
		fee, feeSensitivity                                    float64
	}{
		{"a gesture is a good experience", 0, 0, 0, 1, 1, 0.3, 0, 0},
		{"an incident is a bad one, softened by a fast fix", 0.4, 0.5, 0.5, 0, 0, 0.3, 0, 0},
		{"both", 0.4, 0.5, 0, 0.8, 0.5, 0.3, 0, 0},
		{"a fee is a bad experience of its own", 0.4, 0.5, 0.4, 0, 0, 0, 15, 1.5},
	} {
		cfg := neutral()
		noChurn(&cfg)
		cfg.Churn.GoodwillEffect = 0
		cfg.Goodwill.Decay, cfg.Goodwill.NegativityBias = decay, bias
		cfg.Incidents.Rate, cfg.Incidents.Severity, cfg.Giving.FastFix, cfg.Policy.Giving = rate, tc.severity, tc.fastFix, tc.giving
		cfg.Generosity.GestureRate, cfg.Policy.Generosity, cfg.Generosity.GestureGoodwill = tc.gestureRate, tc.generosity, tc.gw
		cfg.Taking.FixFee, cfg.Taking.FeeSensitivity = tc.fee, tc.feeSensitivity
		cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 1000, 8, 20
		r := run(t, cfg)
		feeHurt := tc.feeSensitivity * tc.fee * (1 - tc.giving) / cfg.Pricing.ListPrice
		step := rate * (tc.gestureRate*tc.generosity*tc.gw - bias*(tc.severity*(1-tc.fastFix*tc.giving)+feeHurt))
		want := 0.0
		for p := 0; p < cfg.Horizon.Periods; p++ {
			want = decay*want + step
			got, se := meanSE(r.Value(GoodwillMean, p))
			closeSE(t, tc.name+": mean goodwill in period "+fmtG(float64(p)), got, want, se)
		}
	}
}

// M10: after each period the incident multiplier follows
// m' = floor + (m - floor) x exp(-effect x min(c, budget / complaint_cost)),
// c the period's complaints (incidents and unresolved contacts) per active
// customer; so, given the past, period p's incidents have mean
// rate x m(p) x active(p). The test computes the multiplier from the
// reported counts and checks the total against it (Poisson error). The
// recursion on incidents alone, the floor and the cost are in
// learning_test.go; this test is about which complaints count.
func TestLearningFromComplaints(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		rate, budget, contact float64
	}{
		{"no learning", 0.3, 0, 0},
		{"learning from incidents", 0.3, 100, 0},
		{"the budget binds", 2, 0.5, 0},
		{"unresolved contacts are complaints too", 0.1, 100, 0.4},
	} {
		cfg := neutral()
		noChurn(&cfg)
		cfg.Churn.GoodwillEffect = 0
		cfg.Incidents.Rate, cfg.Incidents.Floor = tc.rate, 0.2
		cfg.Learning.Budget, cfg.Learning.ComplaintCost, cfg.Learning.Effect = tc.budget, 1, 0.8
		// Every contact goes to a person who never resolves it.
		cfg.Service.ContactRate, cfg.Policy.HumanShare = tc.contact, 1
		cfg.Service.HumanResolutionBasic, cfg.Service.HumanResolutionSkilled = 0, 0
		cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 3000, 10, 2
		r := run(t, cfg)
		floor, cap := cfg.Incidents.Floor, tc.budget/cfg.Learning.ComplaintCost
		var got, want float64
		for i := range r.Reps {
			mult := 1.0
			for _, row := range r.Reps[i].Series {
				got += row[IncidentCount]
				want += tc.rate * mult * row[Active]
				acted := min(cap, (row[IncidentCount]+row[Contacts])/row[Active])
				mult = floor + (mult-floor)*math.Exp(-cfg.Learning.Effect*acted)
			}
		}
		closeSE(t, tc.name+": incidents", got, want, math.Sqrt(want))
	}
}

// Dial 1: upselling is a taking lever. A customer on a suitable plan is
// pushed onto one dearer by overpay_margin with probability upsell_rate x
// (1 - giving) a period, after the period's bill, so the mean price in
// period p is list x (1 + margin x (1 - (1 - upsell_rate x (1 - giving))^p)).
// Advice is a giving lever: a firm at giving = 0 gives none.
func TestUpsellTakesAndAdviceGives(t *testing.T) {
	const upsell, margin, theta = 0.1, 0.2, 0.05
	for _, giving := range []float64{0, 0.5, 1} {
		cfg := neutral()
		fixedChurn(&cfg, theta)
		cfg.Churn.GoodwillEffect = 0
		cfg.Pricing.OverpayShare, cfg.Pricing.OverpayMargin = 0, margin
		cfg.Taking.UpsellRate, cfg.Taking.UpsellGoodwill, cfg.Policy.Giving = upsell, 0.2, giving
		cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 4000, 8, 2
		r := run(t, cfg)
		q := upsell * (1 - giving)
		bias, decay := cfg.Goodwill.NegativityBias, cfg.Goodwill.Decay
		for p := 0; p < cfg.Horizon.Periods; p++ {
			share := 1 - math.Pow(1-q, float64(p))
			n := sum(r, Active, p)
			list := cfg.Pricing.ListPrice
			closeSE(t, "mean price at giving "+fmtG(giving), sum(r, Revenue, p)/n, list*(1+margin*share), list*margin*binomialSE(share, n))
			// Goodwill: a customer first upsold in period k <= p carries
			// -bias x upsell_goodwill x decay^(p-k) at the end of period p.
			var mean, square float64
			for k := 0; k <= p; k++ {
				x := -bias * cfg.Taking.UpsellGoodwill * math.Pow(decay, float64(p-k))
				pk := math.Pow(1-q, float64(k)) * q
				mean += pk * x
				square += pk * x * x
			}
			closeSE(t, "mean goodwill at giving "+fmtG(giving), sum(r, GoodwillMean, p)/float64(cfg.Replications), mean, math.Sqrt((square-mean*mean)/n))
		}
	}
	// Plan fit: a share overpay_share of customers is on a plan dearer by
	// overpay_margin.
	{
		cfg := neutral()
		cfg.Pricing.OverpayShare, cfg.Pricing.OverpayMargin = 0.3, margin
		cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 4000, 3, 1
		row := run(t, cfg).Reps[0].Series[0]
		closeSE(t, "mean price with plans too dear", row[Revenue]/row[Active], cfg.Pricing.ListPrice*(1+0.3*margin),
			cfg.Pricing.ListPrice*margin*binomialSE(0.3, row[Active]))
	}
	for _, giving := range []float64{0, 1} {
		cfg := neutral()
		cfg.Pricing.OverpayShare, cfg.Giving.AdviceRate, cfg.Giving.AdviceUptake, cfg.Policy.Giving = 1, 1, 1, giving
		cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 500, 3, 1
		r := run(t, cfg)
		taken := sumRange(r, AdviceTaken, 0, cfg.Horizon.Periods-1)
		if (taken > 0) != (giving > 0) {
			t.Errorf("giving %g: %v customers took advice; advice must come from giving only", giving, taken)
		}
	}
}

// fmtG formats x for a message.
func fmtG(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// M1 with parameter uncertainty: when churn.alpha_sd or churn.beta_sd is
// set, each replication's (alpha, beta) is a draw from the bivariate normal
// with those standard deviations and correlation churn.alpha_beta_corr,
// truncated to positive values. Far from zero the truncation is
// negligible: the draws' means, standard deviations and correlation are the
// configured ones within Monte Carlo error (the standard error of a sample
// standard deviation is about sd/sqrt(2n), of a correlation (1 - rho^2)/sqrt(n)).
// Near zero every draw is positive. Where a positive pair is all but
// impossible (alpha = beta = 1e-4, standard deviations 100, correlation -1:
// both are positive only for z1 within 1e-6 of 0, a chance of about 8e-7 a
// try) the search gives up with an error naming the keys.
func TestChurnParameterUncertainty(t *testing.T) {
	const n = 20000
	for _, tc := range []struct{ alpha, beta, alphaSD, betaSD, corr float64 }{
		{2, 20, 0.2, 3, -0.6}, {2, 20, 0.3, 0, 0}, {2, 20, 0, 4, 0}, {0.1, 0.5, 1, 1, 0.5},
	} {
		cfg := Default()
		cfg.Churn.Alpha, cfg.Churn.Beta, cfg.Churn.AlphaSD, cfg.Churn.BetaSD, cfg.Churn.AlphaBetaCorr = tc.alpha, tc.beta, tc.alphaSD, tc.betaSD, tc.corr
		r := rand.New(rand.NewPCG(1, 2))
		as, bs := make([]float64, n), make([]float64, n)
		for i := range as {
			a, b, err := churnParameters(&cfg, r)
			if err != nil {
				t.Fatal(err)
			}
			if a <= 0 || b <= 0 {
				t.Fatalf("draw (%g, %g) is not positive", a, b)
			}
			as[i], bs[i] = a, b
		}
		if tc.alpha < 5*tc.alphaSD {
			continue // truncated: only positivity is checked
		}
		for _, c := range []struct {
			what     string
			xs       []float64
			mean, sd float64
		}{{"alpha", as, tc.alpha, tc.alphaSD}, {"beta", bs, tc.beta, tc.betaSD}} {
			m, sd := stat.MeanStdDev(c.xs, nil)
			closeSE(t, c.what+" mean", m, c.mean, c.sd/math.Sqrt(n))
			closeSE(t, c.what+" sd", sd, c.sd, c.sd/math.Sqrt(2*n))
		}
		if tc.alphaSD > 0 && tc.betaSD > 0 {
			closeSE(t, "correlation", stat.Correlation(as, bs, nil), tc.corr, (1-tc.corr*tc.corr)/math.Sqrt(n))
		}
	}
	cfg := Default()
	cfg.Churn.Alpha, cfg.Churn.Beta, cfg.Churn.AlphaSD, cfg.Churn.BetaSD, cfg.Churn.AlphaBetaCorr = 1e-4, 1e-4, 100, 100, -1
	a, b, err := churnParameters(&cfg, rand.New(rand.NewPCG(1, 2)))
	if err == nil || !strings.Contains(err.Error(), "churn.alpha_sd, churn.beta_sd") {
		t.Errorf("alpha = beta = 1e-4 with standard deviations 100 and correlation -1: got (%g, %g), error %v; want an error naming churn.alpha_sd and churn.beta_sd", a, b, err)
	}
}
