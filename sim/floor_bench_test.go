package sim_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// floorCustomer is the least state a stepped customer of giving needs.
type floorCustomer struct {
	key                            uint64
	goodwill, rate, ltr            float32
	contact, incident, plan, refer float32 // clocks: remaining hazard as e^R (see the engine's due)
	resist                         float64
}

// BenchmarkGivingFloor is the floor of BenchmarkGiving: a hand-written loop
// over a fixed population of giving's initial size and horizon, doing per
// customer-month what the engine's step does at the least, with giving's
// rates: a price, the four event clocks (contacts, incidents, advice,
// referrals) advanced by a multiplication each, a re-seeded generator and
// two 64-bit draws for each event, the goodwill update, the promoter test,
// the hazard (an exponential of goodwill, by the engine's exp) and the
// churn test against the resistance, a churned customer replaced by a new
// one with fresh clocks.
// It keeps one margin sum and no statistics: BenchmarkGiving's
// customer-months/s over this one's is the engine's share of the floor.
func BenchmarkGivingFloor(b *testing.B) {
	sc, err := scenarios.Load("giving", scenarios.Sources{})
	if err != nil {
		b.Fatal(err)
	}
	cfg := sc.Config
	q := [4]float32{
		float32(math.Exp(-cfg.Service.ContactRate)), float32(math.Exp(-cfg.Incidents.Rate)),
		float32(1 - cfg.Giving.AdviceRate), float32(1 - cfg.Advocacy.ReferralRate),
	}
	hold, decay, bias := cfg.Churn.GoodwillEffect*(1-cfg.Switching.Cost), cfg.Goodwill.Decay, cfg.Goodwill.NegativityBias
	price, cost := cfg.Pricing.ListPrice, cfg.Pricing.UnitCost
	// Goodwill an event of each clock adds or takes, by a coin: a resolved
	// or unresolved contact, a harmless or harmful incident, advice.
	goodSize := [3]float64{cfg.Service.ResolvedGoodwill, 0, cfg.Giving.AdviceGoodwill}
	badSize := [3]float64{cfg.Service.UnresolvedGoodwill, cfg.Incidents.Severity, 0}
	pcg := rand.NewPCG(1, 2)
	clock := func() float32 { return float32(1 / (float64(pcg.Uint64()>>11+1) * 0x1p-53)) }
	fresh := func(k uint64) floorCustomer {
		pcg.Seed(k, k^0x9e3779b97f4a7c15)
		return floorCustomer{key: k, goodwill: float32(cfg.Goodwill.Initial), rate: 0.03, ltr: float32(rand.New(pcg).NormFloat64()),
			contact: clock(), incident: clock(), plan: clock(), refer: clock(), resist: rand.New(pcg).ExpFloat64()}
	}
	cs := make([]floorCustomer, cfg.Population.Initial)
	next := uint64(0)
	for i := range cs {
		cs[i] = fresh(next)
		next++
	}
	margin, months, churned := 0.0, 0.0, 0.0
	for b.Loop() {
		for rep := 0; rep < cfg.Replications; rep++ {
			for t := 0; t < cfg.Horizon.Periods; t++ {
				for i := range cs {
					c := &cs[i]
					good, bad := 0.0, 0.0
					for p, clk := range [3]*float32{&c.contact, &c.incident, &c.plan} {
						if *clk *= q[p]; *clk <= 1 {
							pcg.Seed(c.key^uint64(p), c.key+uint64(t))
							u, v := pcg.Uint64(), pcg.Uint64()
							*clk = float32(float64(*clk) / (float64(u>>11+1) * 0x1p-53))
							if v&1 == 0 {
								good += goodSize[p]
							} else {
								bad += badSize[p]
							}
						}
					}
					g := decay*float64(c.goodwill) + good - bias*bad
					c.goodwill = float32(g)
					if cfg.Advocacy.LTRNeutral+cfg.Advocacy.LTRPerGoodwill*g+float64(c.ltr) >= 8.5 {
						if c.refer *= q[3]; c.refer <= 1 {
							pcg.Seed(c.key^3, c.key+uint64(t))
							c.refer = float32(float64(c.refer) / (float64(pcg.Uint64()>>11+1) * 0x1p-53))
						}
					}
					margin += price - cost
					if c.resist -= float64(c.rate) * sim.Exp(-hold*g); c.resist <= 0 {
						*c = fresh(next)
						next++
						churned++
					}
				}
				months += float64(len(cs))
			}
		}
	}
	b.ReportMetric(months/b.Elapsed().Seconds(), "customer-months/s")
	b.ReportMetric(churned/months, "churn/customer-month")
	if math.IsNaN(margin) {
		b.Fatal("margin is NaN")
	}
}
