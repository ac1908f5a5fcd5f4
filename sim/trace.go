package sim

import (
	"context"
	"fmt"
	"math"
)

// Story is one customer's life in one replication, period by period, as
// the engine simulated it: what Trace records. It is for teaching (how
// threshold coupling and common random numbers work on one customer), not
// for estimation: a replication's numbers are its aggregates.
type Story struct {
	Replication int // the replication, 0 to replications-1
	Customer    int // the customer's rank among the initial customers, 0 to population.initial-1
	// Traits drawn when the customer joined, the same under every policy
	// run with the same seed: base churn probability per period (M1),
	// resistance to churn (Exponential(1), see leaves), offset to
	// likelihood to recommend (M7, points on the 0-10 scale), and whether
	// it starts on a plan dearer than needed (M5).
	Theta, Resistance, LTROffset float64
	Overpay                      bool
	// Settled is whether nothing could happen to the customer after it
	// joined, so that the engine settled it at once (see settles) rather
	// than stepping it: every period repeats the first.
	Settled bool
	// Periods are the periods it was active, from period 0 to the one at
	// whose end it left, or to the horizon's last.
	Periods []StoryPeriod
	// Left is the period at whose end it left, -1 if it was still active
	// at the horizon.
	Left int
}

// StoryPeriod is one period of a customer's story. Money is in currency
// for the period; goodwill in goodwill units (0 neutral, see M2).
type StoryPeriod struct {
	Period int
	Tenure int // periods since the customer joined (an initial customer joined up to a year before period 0)
	// Revenue (fees included) and Cost (variable, frontline staff, service,
	// incidents and gestures) of the customer in the period; Margin =
	// Revenue - Cost is its share of the cohort tables' margin.
	Revenue, Cost, Margin float64
	Discount              float64 // discounts given on its bill
	// PriceChange is the relative change of its price factor (loyalty
	// rises and discounts, M5) from the tenure before: 0.03 is a 3% rise,
	// -0.2 a 20% cut, 0 no change.
	PriceChange float64
	// Service contacts (M3): how many, how many a person handled
	// (escalations included), how many ended unresolved. The others went
	// to self-service or the community.
	Contacts, HumanContacts, Unresolved int
	// Incidents (M4), the gestures made at them and the fees charged.
	Incidents, Gestures int
	Fees                float64
	// Plan events (M5): Advised is advice of a cheaper plan (MovedDown if
	// the customer took it), Upsold a push onto a dearer one; Overpay is
	// whether it is on a plan dearer than needed at the end of the period.
	Advised, MovedDown, Upsold, Overpay bool
	// Referred is a recommendation made by the customer as a promoter,
	// Converted whether it won a new customer (M7).
	Referred, Converted bool
	// Good and Bad are the period's good and bad experiences in goodwill
	// units before the negativity bias; Goodwill is the goodwill at the end
	// of the period (M2).
	Good, Bad, Goodwill float64
	LTR                 int    // likelihood to recommend, 0 to 10 (M7)
	Class               string // "promoter", "passive" or "detractor"
	// Hazard is the period's cumulative churn hazard (see hazard),
	// Resistance what is left of the customer's resistance after it; the
	// customer leaves at the end of the period when it is at or below 0.
	Hazard, Resistance float64
	Left               bool
}

// Trace re-simulates replication rep of cfg and records the story of its
// initial customer number customer (0 to population.initial-1; initial
// customers are the ones every scenario run with the same seed has in
// common). The replication is simulated exactly as Run simulates it, and
// Trace returns it too: recording one customer changes no number.
// A run that traces nobody pays for this one test of a nil pointer per
// customer-month, per event (contact, incident, plan, referral) and per
// customer joining; BenchmarkGiving shows no difference beyond its noise.
func Trace(ctx context.Context, cfg Config, rep, customer int) (*Story, *Replication, error) {
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	if rep < 0 || rep >= cfg.Replications {
		return nil, nil, fmt.Errorf("trace: replication %d: must be from 0 to %d", rep, cfg.Replications-1)
	}
	if customer < 0 || customer >= cfg.Population.Initial {
		return nil, nil, fmt.Errorf("trace: customer %d: must be from 0 to %d, the initial customers", customer, cfg.Population.Initial-1)
	}
	w, err := newWorld(&cfg, rep, newStreams(), nil, 0)
	if err != nil {
		return nil, nil, err
	}
	tr := &tracer{key: customerKey(joinKey(cfg.Seed, rep, 0, ChannelInitial), customer),
		story: Story{Replication: rep, Customer: customer, Left: -1}}
	w.trace = tr
	out, err := w.run(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := checkFinite(w.cfg, rep, &out); err != nil {
		return nil, nil, err
	}
	return &tr.story, &out, nil
}

// tracer records the story of the customer with stream key key while a
// world is simulated: the period step calls it (see world.trace) with the
// events of the period, then at the end of the period.
type tracer struct {
	key   uint64
	now   StoryPeriod // the events of the period being stepped
	story Story
}

// joined records the customer's traits as it joins at the start of period
// t, before its resistance is spent.
func (tr *tracer) joined(c *customer) {
	s := &tr.story
	s.Theta = -math.Expm1(-float64(c.rate))
	s.Resistance, s.LTROffset, s.Overpay = c.resist, float64(c.ltr), c.overpay
}

// contacts records the period's service contacts of customer k.
func (tr *tracer) contacts(k uint64, n, human, unresolved int) {
	if k == tr.key {
		tr.now.Contacts, tr.now.HumanContacts, tr.now.Unresolved = n, human, unresolved
	}
}

// incidents records the period's incidents of customer k.
func (tr *tracer) incidents(k uint64, n, gestures int, fees float64) {
	if k == tr.key {
		tr.now.Incidents, tr.now.Gestures, tr.now.Fees = n, gestures, fees
	}
}

// plan records a plan event of customer k: advice if it was on too dear a
// plan (wasOverpay), an upsell if not.
func (tr *tracer) plan(k uint64, wasOverpay, movedDown bool) {
	if k == tr.key {
		tr.now.Advised, tr.now.MovedDown, tr.now.Upsold = wasOverpay, movedDown, !wasOverpay
	}
}

// refer records a recommendation of customer k.
func (tr *tracer) refer(k uint64, converted bool) {
	if k == tr.key {
		tr.now.Referred, tr.now.Converted = true, converted
	}
}

// period records customer c's period t, stepped, with its goodwill g at
// the end of the period (before c keeps it as a float32), its bill, costs,
// experiences and hazard, and whether it leaves; c's resistance is that
// after the period.
func (tr *tracer) period(m *model, c *customer, t int, g, revenue, cost, given float64, e experience, hazard float64, left bool) {
	p := tr.now
	tr.now = StoryPeriod{}
	p.Period, p.Tenure = t, t-int(c.since)
	p.Revenue, p.Cost, p.Margin, p.Discount = revenue, cost, revenue-cost, given
	p.PriceChange = m.priceChange(c.channel(), p.Tenure)
	p.Overpay = c.overpay
	p.Good, p.Bad, p.Goodwill = e.good, e.bad, g
	p.LTR, p.Class = m.ltrClass(g, float64(c.ltr))
	p.Hazard, p.Resistance, p.Left = hazard, c.resist, left
	tr.story.Periods = append(tr.story.Periods, p)
	if left {
		tr.story.Left = t
	}
}

// settled records the whole story of customer c, settled at the start of
// period t with goodwill g (see settle): every period from t repeats the
// first, until its resistance runs out or the horizon ends.
func (tr *tracer) settled(m *model, c *customer, t, periods int, g float64) {
	tr.story.Settled = true
	hazard := m.hazard(c, g, experience{})
	revenue, given, _ := m.bill(c, t-int(c.since), g)
	cost := m.cfg.Pricing.UnitCost
	resist := c.resist
	for ; t < periods; t++ {
		resist -= hazard // as leaves subtracts it
		left := resist <= 0
		d := *c
		d.resist = resist
		tr.period(m, &d, t, g, revenue, cost, given, experience{}, hazard, left)
		if left {
			return
		}
	}
}

// priceChange is the relative change of channel ch's price factor at
// tenure n from tenure n-1, 0 at tenure 0 or below.
func (m *model) priceChange(ch Channel, n int) float64 {
	p := m.tariff[ch]
	if n <= 0 || n >= len(p) || p[n-1].price == 0 {
		return 0
	}
	return p[n].price/p[n-1].price - 1
}

// ltrClass is recommend's likelihood to recommend, rounded half away from
// zero and clamped to 0-10, and its class.
func (m *model) ltrClass(g, offset float64) (int, string) {
	ltr := m.cfg.Advocacy.LTRNeutral + m.cfg.Advocacy.LTRPerGoodwill*g + offset
	score := int(max(0, min(10, math.Round(ltr))))
	switch promoter, detractor := m.recommend(g, offset); {
	case promoter == 1:
		return score, "promoter"
	case detractor == 1:
		return score, "detractor"
	}
	return score, "passive"
}
