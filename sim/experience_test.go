package sim

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// firstPeriod is the neutral world (see neutral) with n initial customers,
// one period long: its mean goodwill is the goodwill moved by period 0's
// experiences alone, since every customer starts at 0.
func firstPeriod(n, reps int) Config {
	cfg := neutral()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = n, 1, reps
	cfg.Discounts.Months = 1 // at most the horizon
	return cfg
}

// M2 and M3: a resolved and an unresolved contact have the same base size
// s, and the negativity bias alone makes the bad one weigh more: a contact
// moves goodwill by +s when resolved and by -negativity_bias x s when not.
// Every contact reaches a person who resolves all (or none) of them, so
// period 0's mean goodwill is +s x contacts (or -bias x s x contacts); the
// same customers have the same contacts in both worlds (common random
// numbers), so the ratio of the two is exact, and the level is
// contact_rate x s within 4 Poisson standard errors.
func TestUnresolvedContactWeighsBiasTimesAResolvedOne(t *testing.T) {
	const n, reps, rate = 5000, 4, 0.5
	world := func(resolution float64) *Result {
		cfg := firstPeriod(n, reps)
		cfg.Service.ContactRate, cfg.Service.Warmth, cfg.Policy.HumanShare = rate, 0, 1
		cfg.Service.WaitGoodwill = 0 // a person answers at once
		cfg.Service.HumanResolutionBasic, cfg.Service.HumanResolutionSkilled = resolution, resolution
		return run(t, cfg)
	}
	resolved, unresolved := world(1), world(0)
	d := Default()
	s, bias := d.Service.ResolvedGoodwill, d.Goodwill.NegativityBias
	for i := range resolved.Reps {
		good, bad := resolved.Reps[i].Series[0][GoodwillMean], unresolved.Reps[i].Series[0][GoodwillMean]
		if ratio := bad / good; math.Abs(ratio+bias) > 1e-9*bias {
			t.Errorf("replication %d: an unresolved contact moves goodwill %.4g times what a resolved one does, want -negativity_bias = %g", i, ratio, -bias)
		}
	}
	got := stat.Mean(resolved.Value(GoodwillMean, 0), nil)
	want, se := rate*s, s*math.Sqrt(rate/(n*reps))
	if !(math.Abs(got-want) <= 4*se) {
		t.Errorf("mean goodwill after resolved contacts %.5f, want contact_rate x resolved_goodwill = %.5f, 4 SE = %.5f", got, want, 4*se)
	}
}

// M3: a service issue that starts in self-service (a journey, here one
// contact) ends in one of three ways. It is passed to a person with
// probability escalation; otherwise self-service resolves it with the
// per-contact probability self_resolution, and otherwise the customer gives
// up (abandoned). The shares of journeys are
//
//	resolved without a person  J = (1 - escalation) x self_resolution
//	passed to a person         E = escalation
//	abandoned                  A = (1 - escalation) x (1 - self_resolution)
//
// and at the defaults J is Gartner's (2019) 9%. Each share is measured on
// 200,000 self-service contacts, with people resolving every escalated one
// (so that the unresolved are the abandoned), within 4 binomial standard
// errors.
func TestSelfServiceJourneys(t *testing.T) {
	d := Default()
	for _, tc := range []struct {
		name                   string
		escalation, resolution float64
	}{
		{"defaults", d.Service.Escalation, d.Service.SelfResolution},
		{"few escalate", 0.2, 0.5},
		{"all escalate", 1, 0.5},
		{"none escalate", 0, 0.3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Default()
			cfg.Policy.HumanShare = 0
			cfg.Service.HumanResolutionBasic, cfg.Service.HumanResolutionSkilled = 1, 1
			cfg.Service.Escalation, cfg.Service.SelfResolution = tc.escalation, tc.resolution
			m := newModel(&cfg)
			s := newStreams()
			const journeys = 200000
			escalated, abandoned := 0, 0
			for i := range journeys {
				_, _, human, unresolved := m.serve(s.at(uint64(i), procContacts, 0), 1, experience{})
				escalated += human
				abandoned += unresolved
			}
			e, r := tc.escalation, tc.resolution
			for _, share := range []struct {
				what      string
				got, want float64
			}{
				{"resolved without a person", float64(journeys-escalated-abandoned) / journeys, (1 - e) * r},
				{"passed to a person", float64(escalated) / journeys, e},
				{"abandoned", float64(abandoned) / journeys, (1 - e) * (1 - r)},
			} {
				se := math.Sqrt(share.want * (1 - share.want) / journeys)
				if math.Abs(share.got-share.want) > 4*se {
					t.Errorf("self-service journeys %s: %.4f, want %.4f, 4 SE = %.4f", share.what, share.got, share.want, 4*se)
				}
			}
		})
	}
	if j := (1 - d.Service.Escalation) * d.Service.SelfResolution; math.Abs(j-0.09) > 0.005 {
		t.Errorf("the defaults resolve %.3f of self-service journeys without a person, want Gartner's (2019) 0.09", j)
	}
}

// M4 and M5: a fee for fixing the firm's own failure is a one-off bad
// experience with its own sensitivity, not a price rise: an incident moves
// goodwill by -bias x hurt, with
//
//	hurt = severity x (1 - fast_fix x giving) + fee_sensitivity x fee / list_price,  fee = fix_fee x (1 - giving)
//
// and at the defaults the fee hurts no more than the failure itself. Two
// worlds with only incidents, one charging the fee and one not, have the
// same incidents (common random numbers), so the ratio of their period-0
// goodwill, 1 + fee's hurt / incident's own hurt, is exact.
func TestOneOffFeeIsAOneOffExperience(t *testing.T) {
	d := Default()
	sensitivity := d.Taking.FeeSensitivity
	for _, tc := range []struct {
		giving, fee float64
	}{{0, d.Taking.FixFee}, {0.5, d.Taking.FixFee}, {0, 3 * d.Taking.FixFee}} {
		world := func(fee float64) *Result {
			cfg := firstPeriod(2000, 2)
			cfg.Incidents.Rate, cfg.Policy.Giving = 0.5, tc.giving
			cfg.Taking.FixFee, cfg.Taking.FeeSensitivity, cfg.Giving.FastFix = fee, sensitivity, d.Giving.FastFix
			return run(t, cfg)
		}
		charged, free := world(tc.fee), world(0)
		own := d.Incidents.Severity * (1 - d.Giving.FastFix*tc.giving)
		want := sensitivity * tc.fee * (1 - tc.giving) / d.Pricing.ListPrice
		for i := range charged.Reps {
			ratio := charged.Reps[i].Series[0][GoodwillMean] / free.Reps[i].Series[0][GoodwillMean]
			if got := (ratio - 1) * own; math.Abs(got-want) > 1e-9 {
				t.Errorf("giving %g, fix_fee %g, replication %d: the fee moves goodwill %.4g before bias, want fee_sensitivity x fee / list_price = %.4g",
					tc.giving, tc.fee, i, got, want)
			}
			if tc.giving == 0 && tc.fee == d.Taking.FixFee && ratio > 2 {
				t.Errorf("replication %d: the default fee hurts %.3g times as much as the failure it charges for, want at most as much", i, ratio-1)
			}
		}
	}
}

// M5: best-plan advice is an event per customer. A customer on too dear a
// plan is told of the cheaper one with probability p = advice_rate x giving
// in each period in which it may be advised, which is any period at least
// advice_interval = k periods after its last advice; each piece of advice
// earns advice_goodwill once. The chance a(s) of advice in period s is then
//
//	a(s) = p x (1 - a(s-1) - ... - a(s-k+1))
//
// since pieces of advice less than k periods apart exclude one another.
// With nobody taking the advice, goodwill never fading and goodwill not
// moving churn, mean goodwill at period t is advice_goodwill x (a(0) + ...
// + a(t)), within 4 standard errors across replications at every t.
func TestAdviceIsAnEventPerCustomer(t *testing.T) {
	for _, tc := range []struct {
		giving   float64
		interval int
	}{{1, 12}, {0.5, 5}, {1, 1}, {1, 0}} {
		cfg := neutral()
		cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 1000, 36, 40
		cfg.Pricing.OverpayShare, cfg.Policy.Giving = 1, tc.giving
		cfg.Giving.AdviceRate, cfg.Giving.AdviceUptake, cfg.Giving.AdviceGoodwill = 0.2, 0, 0.4
		cfg.Goodwill.Decay, cfg.Churn.GoodwillEffect = 1, 0
		if err := cfg.Set("giving.advice_interval", float64(tc.interval)); err != nil {
			t.Error(err)
		}
		r := run(t, cfg)
		p := cfg.Giving.AdviceRate * tc.giving
		a := make([]float64, cfg.Horizon.Periods)
		pieces := 0.0
		for s := range a {
			free := 1.0
			for j := 1; j < tc.interval && j <= s; j++ {
				free -= a[s-j]
			}
			a[s] = p * free
			pieces += a[s]
			got, se := meanSE(r.Value(GoodwillMean, s))
			if want := cfg.Giving.AdviceGoodwill * pieces; !(math.Abs(got-want) <= 4*se) {
				t.Errorf("giving %g, interval %d, period %d: mean goodwill %.4f, want advice_goodwill x %.3f pieces of advice = %.4f, 4 SE = %.4f",
					tc.giving, tc.interval, s, got, pieces, want, 4*se)
			}
		}
	}
}

// The stop of a customer's advice clock (see advisable) fills the padding
// of its state, which stays 56 bytes.
func TestCustomerStateStays56Bytes(t *testing.T) {
	if CustomerBytes != 56 {
		t.Errorf("a customer's state is %d bytes, want 56", CustomerBytes)
	}
}

// M5 and M11: the goodwill premium is the price goodwill sustains against
// leaving, so it shrinks with the cost of leaving: a customer with
// goodwill g pays
//
//	list_price x (1 + goodwill_premium x (1 - switching.cost) x clamp(g, 0, 1))
//
// a period. Where customers cannot leave goodwill earns no premium, as D6
// requires (only churn and acquisition carry goodwill's value, and neither
// can move there). Goodwill stays at its start here (no experiences, no
// fading), so every period's revenue per customer is exactly that.
func TestGoodwillPremiumShrinksWithSwitchingCost(t *testing.T) {
	d := Default()
	list, premium := d.Pricing.ListPrice, d.Pricing.GoodwillPremium
	for _, cost := range []float64{0, 0.2, 0.95, 1} {
		for _, g := range []float64{-0.5, 0.5, 1.5} {
			cfg := neutral()
			cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 500, 3, 1
			cfg.Goodwill.Initial, cfg.Goodwill.Decay = g, 1
			cfg.Pricing.GoodwillPremium, cfg.Switching.Cost = premium, cost
			want := list * (1 + premium*(1-cost)*math.Max(0, math.Min(1, g)))
			for p, row := range run(t, cfg).Reps[0].Series {
				if got := row[Revenue] / row[Active]; math.Abs(got-want) > 1e-9*want {
					t.Errorf("switching cost %g, goodwill %g, period %d: revenue per customer %.6f, want %.6f", cost, g, p, got, want)
				}
			}
		}
	}
}
