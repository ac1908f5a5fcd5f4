package sim

import (
	"fmt"
	"math"
	"reflect"
	"testing"
)

// communityWorld is a one-period world of n customers, all promoters (a
// likelihood to recommend of 10 for everyone at neutral goodwill), so that
// the community of period 0 grows from P = n promoters, with service
// contacts only.
func communityWorld(n, reps int) Config {
	cfg := firstPeriod(n, reps)
	cfg.Advocacy.LTRNeutral, cfg.Advocacy.LTRSpread = 10, 0
	cfg.Service.ContactRate, cfg.Policy.HumanShare = 0.5, 0.3
	cfg.Policy.Community = 0.6
	return cfg
}

// takeLaw is the documented probability that the community answers a
// contact, worked out here: a contact not first handled by a person,
// 1 - human_share of them, is offered with probability policy.community
// and taken if there is room, with probability min(1, capacity / demand),
// capacity = P x helper_share x answers_per_helper, demand = community x
// (1 - human_share) x contact_rate x active.
func takeLaw(c *Config, promoters, active float64) float64 {
	offered := c.Policy.Community * (1 - c.Policy.HumanShare)
	capacity := promoters * c.Community.HelperShare * c.Community.AnswersPerHelper
	return offered * math.Min(1, capacity/(offered*c.Service.ContactRate*active))
}

// sums adds metrics over the replications of res in period t.
func sums(res *Result, t int, ms ...Metric) []float64 {
	out := make([]float64, len(ms))
	for _, rep := range res.Reps {
		for i, m := range ms {
			out[i] += rep.Series[t][m]
		}
	}
	return out
}

// M14: the share of contacts the community answers is community x (1 -
// human_share) where its capacity exceeds the contacts offered, and
// capacity / (contacts expected) where it binds; each within 4 binomial
// standard errors of the contacts made (every contact takes its path
// independently of the others with that probability).
func TestCommunityShareOfContacts(t *testing.T) {
	const n, reps = 20000, 4
	for _, tc := range []struct {
		name          string
		helpers, each float64 // helper_share, answers_per_helper
		binds         bool
	}{
		{"unbounded", 1, 100, false},
		{"binds", 0.01, 4, true},        // capacity 0.04 n for 0.21 n contacts offered
		{"binds hard", 0.002, 10, true}, // 0.02 n
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := communityWorld(n, reps)
			cfg.Community.HelperShare, cfg.Community.AnswersPerHelper = tc.helpers, tc.each
			p := takeLaw(&cfg, n, n)
			if binds := p < cfg.Policy.Community*(1-cfg.Policy.HumanShare); binds != tc.binds {
				t.Fatalf("the law says capacity binds %v, the case %v", binds, tc.binds)
			}
			res := run(t, cfg)
			s := sums(res, 0, Contacts, CommunityAnswers, CommunityCapacity)
			got := s[1] / s[0]
			if se := math.Sqrt(p * (1 - p) / s[0]); math.Abs(got-p) > 4*se {
				t.Errorf("community answers %.4f of contacts, want %.4f, 4 SE = %.4f", got, p, 4*se)
			}
			if want := float64(n) * tc.helpers * tc.each * reps; math.Abs(s[2]-want) > 1e-9*want {
				t.Errorf("capacity %g in all, want promoters x helper_share x answers_per_helper = %g", s[2], want)
			}
		})
	}
}

// M14: the community resolves with probability resolution_max x P / (P +
// promoters_half) at P promoters: within 4 binomial standard errors of the
// answers given, in period 1, P the promoters counted at the end of period
// 0 (read from its metrics), and where every customer is a promoter as it
// joins (a likelihood to recommend of 10 for everyone) in period 0 too, P
// = n.
func TestCommunityResolutionAtPromoters(t *testing.T) {
	const n, reps = 4000, 4
	for _, half := range []float64{0, 1000, 4000, 12000} {
		for _, spread := range []float64{0, 1.5} {
			t.Run(fmt.Sprintf("promoters_half %g, ltr_spread %g", half, spread), func(t *testing.T) {
				cfg := communityWorld(n, reps)
				cfg.Horizon.Periods = 2
				if spread > 0 {
					cfg.Advocacy.LTRNeutral, cfg.Advocacy.LTRSpread = 8.5, spread // about half promoters
				}
				cfg.Community.HelperShare, cfg.Community.AnswersPerHelper = 1, 100
				cfg.Community.ResolutionMax, cfg.Community.PromotersHalf = 0.9, half
				res := run(t, cfg)
				for period := range 2 {
					if period == 0 && spread > 0 {
						continue // P is not known
					}
					var answers, resolved, wantResolved float64
					for _, rep := range res.Reps {
						P := float64(n)
						if period == 1 {
							row := rep.Series[0]
							P = math.Round(row[Promoters] * row[Active])
						}
						a := rep.Series[period][CommunityAnswers]
						answers += a
						resolved += a * rep.Series[period][CommunityResolution]
						wantResolved += a * cfg.Community.ResolutionMax * P / (P + half)
					}
					want, got := wantResolved/answers, resolved/answers
					if se := math.Sqrt(want * (1 - want) / answers); answers == 0 || !(math.Abs(got-want) <= 4*se) {
						t.Errorf("period %d: community resolution %.4f over %g answers, want %.4f, 4 SE = %.4f", period, got, answers, want, 4*se)
					}
				}
			})
		}
	}
}

// M14 and M8: a community answer costs community.cost, a part of
// cost_service, of cost and of the customers' margins. Two one-period
// worlds that differ only in that cost have the same contacts and paths
// (common random numbers): cost_community is answers x cost exactly, and
// cost_service, cost, profit and the cohorts' margins differ by exactly
// answers x cost. Without escalation and people, cost_service is (contacts
// - answers) x self_cost + answers x cost.
func TestCommunityCostInTheEconomics(t *testing.T) {
	const n, reps, price = 3000, 3, 0.7
	world := func(cost float64) *Result {
		cfg := communityWorld(n, reps)
		cfg.Policy.HumanShare, cfg.Service.Escalation = 0, 0
		cfg.Community.HelperShare, cfg.Community.AnswersPerHelper = 0.01, 20
		cfg.Community.Cost = cost
		return run(t, cfg)
	}
	paid, free := world(price), world(0)
	d := Default()
	near := func(got, want float64) bool { return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want)) }
	margin := func(rep *Replication) (sum float64) {
		for _, x := range rep.Cohorts.Margin {
			sum += x
		}
		return sum
	}
	for i := range paid.Reps {
		p, f := &paid.Reps[i], &free.Reps[i]
		row := p.Series[0]
		answers := row[CommunityAnswers]
		if answers == 0 || answers != f.Series[0][CommunityAnswers] || row[Contacts] != f.Series[0][Contacts] {
			t.Fatalf("replication %d: %v and %v answers of %v and %v contacts, want the same, above 0", i, answers, f.Series[0][CommunityAnswers], row[Contacts], f.Series[0][Contacts])
		}
		extra := answers * price
		for _, x := range []struct {
			what      string
			got, want float64
		}{
			{"cost_community", row[CostCommunity], extra},
			{"cost_service", row[CostService], (row[Contacts]-answers)*d.Service.SelfCost + extra},
			{"cost difference", row[Cost] - f.Series[0][Cost], extra},
			{"profit difference", f.Series[0][Profit] - row[Profit], extra},
			{"margin difference", margin(f) - margin(p), extra},
		} {
			if !near(x.got, x.want) {
				t.Errorf("replication %d: %s %.9g, want %.9g", i, x.what, x.got, x.want)
			}
		}
	}
}

// M14 and M2: in a one-period world where the community takes every
// contact, a resolved answer moves goodwill by community.goodwill and an
// unresolved one by -negativity_bias x unresolved_goodwill, exactly: the
// period's goodwill sum is that per answer times the answers.
func TestCommunityAnswerGoodwill(t *testing.T) {
	const n, reps = 2000, 2
	for _, tc := range []struct {
		name    string
		resolve float64 // resolution_max, with promoters_half 0: the resolution
	}{{"resolved", 1}, {"unresolved", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := communityWorld(n, reps)
			cfg.Policy.HumanShare, cfg.Policy.Community = 0, 1
			cfg.Community.HelperShare, cfg.Community.AnswersPerHelper = 1, 100
			cfg.Community.ResolutionMax, cfg.Community.PromotersHalf = tc.resolve, 0
			cfg.Community.Goodwill = 0.23
			per := cfg.Community.Goodwill
			if tc.resolve == 0 {
				per = -cfg.Goodwill.NegativityBias * cfg.Service.UnresolvedGoodwill
			}
			for i, rep := range run(t, cfg).Reps {
				row := rep.Series[0]
				if row[CommunityAnswers] != row[Contacts] || row[Contacts] == 0 {
					t.Fatalf("replication %d: %v of %v contacts answered by the community, want all, above 0", i, row[CommunityAnswers], row[Contacts])
				}
				if got, want := row[GoodwillMean]*row[Active], per*row[Contacts]; math.Abs(got-want) > 1e-9*math.Abs(want) {
					t.Errorf("replication %d: goodwill sum %.9g, want %.9g per answer x %v answers = %.9g", i, got, per, row[Contacts], want)
				}
			}
		})
	}
}

// M14 and M8: with constant retention and every customer a promoter, the
// community takes the share community x (1 - human_share) of contacts
// (capacity unbounded) and resolves with resolution_max (promoters_half
// 0), so each customer's expected margin and walk-away hazard are constant
// and lifetime value is m(1+d)/(1+d-r) within 4 Monte Carlo standard
// errors, whatever the horizon: the value after the horizon takes the
// community's contacts as the period steps do. A contact costs
//
//	(1 - h)(1 - c) self_cost + p human cost + (1 - h) c community.cost + staff cost,  p = h + (1 - h)(1 - c) escalation
//
// and is unresolved with probability p (1 - human resolution) + (1 - h)(1
// - c)(1 - escalation)(1 - self_resolution) + (1 - h) c (1 - resolution_max).
func TestCommunityCLVWholeLifetime(t *testing.T) {
	const base = 0.9
	for _, periods := range []int{3, 24} {
		t.Run(fmt.Sprintf("%d periods", periods), func(t *testing.T) {
			cfg := neutral()
			constantRetention(&cfg, base)
			cfg.Population.Initial, cfg.Market.PaidPerPeriod = 500, 300
			cfg.Horizon.Periods, cfg.Replications = periods, 20
			cfg.Advocacy.LTRNeutral, cfg.Advocacy.LTRSpread = 10, 0
			cfg.Churn.GoodwillEffect, cfg.Churn.Walkaway, cfg.Switching.Cost = 0, 0.1, 0.2
			cfg.Service.ContactRate, cfg.Policy.HumanShare, cfg.Policy.Community = 0.8, 0.3, 0.6
			cfg.Community.HelperShare, cfg.Community.AnswersPerHelper = 1, 100
			// An answer at least as dear as a person's, so that the share the community
			// takes shows in the margin and is not offset by its better resolution.
			cfg.Community.ResolutionMax, cfg.Community.PromotersHalf, cfg.Community.Cost = 0.7, 0, 10

			s, h, c := &cfg.Service, cfg.Policy.HumanShare, cfg.Policy.Community
			skill := cfg.Policy.StaffSkill
			humanCost := s.HumanCostBasic + (s.HumanCostSkilled-s.HumanCostBasic)*skill
			humanSolve := s.HumanResolutionBasic + (s.HumanResolutionSkilled-s.HumanResolutionBasic)*skill
			self, peer := (1-h)*(1-c), (1-h)*c
			p := h + self*s.Escalation
			cost := self*s.SelfCost + p*humanCost + peer*cfg.Community.Cost + staffPerContact(&cfg, p, humanCost)
			unresolved := p*(1-humanSolve) + self*(1-s.Escalation)*(1-s.SelfResolution) + peer*(1-cfg.Community.ResolutionMax)
			m := cfg.Pricing.ListPrice - cfg.Pricing.UnitCost - s.ContactRate*cost
			r := base * math.Exp(-s.ContactRate*unresolved*cfg.Churn.Walkaway*(1-cfg.Switching.Cost))
			d := periodRate(&cfg)
			want := m * (1 + d) / (1 + d - r)

			res := run(t, cfg)
			clv := make([]float64, len(res.Reps))
			for i := range res.Reps {
				clv[i] = res.Reps[i].Outcomes(&cfg).CLV
			}
			if got, se := meanSE(clv); !(math.Abs(got-want) <= 4*se) {
				t.Errorf("CLV per acquired customer %.4f, closed form m(1+d)/(1+d-r) = %.4f, 4 SE = %.4f", got, want, 4*se)
			}
		})
	}
}

// sweepWorld is a baseline-like world with acquisition, word of mouth and
// a community, small enough for a sweep.
func sweepWorld() Config {
	cfg := Default()
	cfg.Population.Initial, cfg.Market.Potential, cfg.Market.PaidPerPeriod = 2000, 40000, 100
	cfg.Horizon.Periods, cfg.Replications = 24, 10
	cfg.Policy.Community = 0.5
	return cfg
}

// M14, directions (D4): each step of a sweep moves the outcome the
// documented way by more than 3 standard errors of the paired difference
// (same seed: common random numbers): more of the contacts offered to the
// community, a lower cost to serve (service and staff costs over the
// horizon); more promoters (a higher likelihood to recommend at neutral
// goodwill), a higher community resolution (answer-weighted over the
// horizon).
func TestCommunityDirections(t *testing.T) {
	costToServe := func(rep *Replication) (sum float64) {
		for _, row := range rep.Series {
			sum += row[CostService] + row[CostStaff]
		}
		return sum
	}
	resolution := func(rep *Replication) float64 {
		var answers, resolved float64
		for _, row := range rep.Series {
			answers += row[CommunityAnswers]
			resolved += row[CommunityAnswers] * row[CommunityResolution]
		}
		return resolved / answers
	}
	for _, sw := range []struct {
		name    string
		values  []float64
		set     func(c *Config, x float64)
		outcome func(*Replication) float64
		sign    float64 // +1: the outcome rises with the dial
	}{
		{"policy.community lowers the cost to serve", []float64{0, 0.3, 0.6, 1},
			func(c *Config, x float64) { c.Policy.Community = x }, costToServe, -1},
		{"promoters raise community resolution", []float64{6.5, 7.5, 8.5, 9.5},
			func(c *Config, x float64) { c.Advocacy.LTRNeutral = x }, resolution, +1},
	} {
		t.Run(sw.name, func(t *testing.T) {
			var prev *Result
			for _, x := range sw.values {
				cfg := sweepWorld()
				sw.set(&cfg, x)
				res := run(t, cfg)
				if prev != nil {
					diff := make([]float64, len(res.Reps))
					for i := range res.Reps {
						diff[i] = sw.outcome(&res.Reps[i]) - sw.outcome(&prev.Reps[i])
					}
					mean, se := meanSE(diff)
					if sw.sign*mean <= 3*se {
						t.Errorf("at %g: paired change %.4g, want sign %+g beyond 3 SE = %.4g", x, mean, sw.sign, 3*se)
					}
				}
				prev = res
			}
		})
	}
}

// D5 with M14: a world with a community, whose capacity binds, gives
// bit-identical replications whatever the number of workers.
func TestCommunityWorkersDoNotChangeResults(t *testing.T) {
	cfg := sweepWorld()
	cfg.Replications = 6
	cfg.Community.HelperShare = 0.005 // capacity binds
	want := sameForWorkers(t, cfg, 1, 3)
	if s := sums(want, 5, CommunityAnswers, CommunityCapacity); s[0] == 0 || s[0] > 1.2*s[1] {
		t.Errorf("period 5: %g answers for a capacity of %g: want a community whose capacity binds", s[0], s[1])
	}
}

// M14: without a community (policy.community 0) its parameters change no
// number: a world with every community.* value moved is bit-identical to
// one at the defaults, so existing scenarios keep their outputs.
func TestNoCommunityChangesNothing(t *testing.T) {
	cfg := sweepWorld()
	cfg.Policy.Community, cfg.Replications = 0, 3
	moved := cfg
	moved.Community = Community{HelperShare: 1, AnswersPerHelper: 1000, ResolutionMax: 1, PromotersHalf: 0, Cost: 5, Goodwill: 1}
	a, b := run(t, cfg), run(t, moved)
	if !reflect.DeepEqual(a.Reps, b.Reps) {
		t.Error("community parameters changed the results of a world without a community")
	}
	if s := sums(a, 5, CommunityAnswers, CommunityCapacity, Contacts); s[0] != 0 || s[1] != 0 || s[2] == 0 {
		t.Errorf("period 5 without a community: %g answers, capacity %g, %g contacts; want none, none, some", s[0], s[1], s[2])
	}
}

// Without promoters the community has no helpers: it answers nothing, and
// its resolution, r = resolution_max x P / (P + promoters_half), is 0 even
// where promoters_half is 0 (not 0/0), so the value after the horizon stays
// a number.
func TestCommunityWithoutPromoters(t *testing.T) {
	cfg := sweepWorld()
	cfg.Policy.Community, cfg.Community.PromotersHalf = 1, 0
	cfg.Advocacy.LTRNeutral, cfg.Advocacy.LTRSpread = 0, 0
	res := run(t, cfg)
	for i, rep := range res.Reps {
		if math.IsNaN(rep.Equity) || math.IsInf(rep.Equity, 0) {
			t.Errorf("replication %d: customer equity %g, want a number", i, rep.Equity)
		}
		for p, row := range rep.Series {
			if row[CommunityAnswers] != 0 {
				t.Errorf("replication %d, period %d: %g community answers without a promoter", i, p, row[CommunityAnswers])
			}
		}
	}
}

// M14's P counts every customer, settled or stepped: in a world where
// nothing happens to anyone (no contacts, no incidents: MODEL.md's neutral
// world, where every customer settles as it joins) with a community open,
// the capacity of period t is helper_share x answers_per_helper x P, P the
// promoters of period t-1 (row Promoters x Active), and for period 0 the
// initial customers who are promoters as they join, the promoters of
// period 0 (nobody's class changes in this world).
func TestCommunityCountsSettledPromoters(t *testing.T) {
	cfg := neutral()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 2000, 12, 2
	cfg.Policy.Community = 0.6
	cfg.Advocacy.LTRNeutral = 8.5 // about half of them promoters
	perPromoter := cfg.Community.HelperShare * cfg.Community.AnswersPerHelper
	for i, rep := range run(t, cfg).Reps {
		for p, row := range rep.Series {
			from := rep.Series[max(p-1, 0)]
			promoters := from[Promoters] * from[Active]
			if want := perPromoter * promoters; promoters == 0 || math.Abs(row[CommunityCapacity]-want) > 1e-9*want {
				t.Errorf("replication %d, period %d: capacity %g, want %g x %g promoters = %g", i, p, row[CommunityCapacity], perPromoter, promoters, want)
			}
		}
	}
}
