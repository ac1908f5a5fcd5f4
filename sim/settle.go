package sim

import "math"

// Settling. A customer whom nothing can happen to (no service contacts, no
// incidents, no plan advice or upselling, no referrals to make), whose price
// will not change again and whose goodwill sits at its fixed point lives
// every remaining period exactly as the one before: the same bill, goodwill,
// likelihood to recommend and churn hazard. Such a customer is settled when
// it joins: the period in which it leaves is found at once, with the same
// subtractions from its resistance that the period step would make (see
// leaves), and its share of every period and cohort cell is written to a
// ledger instead of being stepped period by period. The results are those
// of stepping it, not an approximation of them: the same counts, and sums
// equal but for the order of rounding (TestSettlingChangesNothing). In the
// neutral world every customer settles, unless segments are declared: the
// segment tables (M13) are kept by the step alone, so then every customer
// is stepped.

// settling is switched off only by tests that compare settling with
// stepping.
var settling = true

// settles reports whether customer c, joining at the start of period t, is
// settled (see above), and if so returns the goodwill it keeps.
func (m *model) settles(c *customer, t int) (g float64, ok bool) {
	g = float64(c.goodwill)
	tenure := t - int(c.since)
	switch {
	case !settling, m.segmented, !m.eventless, m.planFactor[b2i(c.overpay)] != 1, tenure < m.flatFrom[c.channel()], m.decay*g != g:
		return 0, false
	}
	if promoter, _ := m.recommend(g, float64(c.ltr)); m.referFactor[promoter] != 1 {
		return 0, false
	}
	return g, true
}

// settlesAll reports whether every customer settles as it joins, whatever
// its traits: nothing can happen to anyone, no price ever changes, new
// customers' goodwill is at its fixed point and nobody can refer.
func (m *model) settlesAll() bool {
	g := float64(float32(m.cfg.Goodwill.Initial))
	return settling && !m.segmented && m.eventless && m.planFactor == [2]float32{1, 1} && m.referFactor == [2]float32{1, 1} &&
		m.flatFrom == [NumChannels]int{} && m.decay*g == g
}

// ledgerRow is settled customers' share of one period's sums.
type ledgerRow struct {
	active, promoters, detractors float64
	byChannel                     [NumChannels]float64
	goodwill, revenue, discounts  float64
}

func (r *ledgerRow) add(x *ledgerRow, sign float64) {
	r.active += sign * x.active
	r.promoters += sign * x.promoters
	r.detractors += sign * x.detractors
	for ch := range r.byChannel {
		r.byChannel[ch] += sign * x.byChannel[ch]
	}
	r.goodwill += sign * x.goodwill
	r.revenue += sign * x.revenue
	r.discounts += sign * x.discounts
}

// join adds to r (sign 1) or takes from it (sign -1) one settled customer
// of channel ch, a promoter or detractor (1 or 0), with goodwill g,
// revenue and discounts given: as add of a row with those values, field by
// field, without building the row.
func (r *ledgerRow) join(ch Channel, promoter, detractor int, g, revenue, given, sign float64) {
	r.active += sign
	r.promoters += sign * float64(promoter)
	r.detractors += sign * float64(detractor)
	r.byChannel[ch] += sign
	r.goodwill += sign * g
	r.revenue += sign * revenue
	r.discounts += sign * given
}

// ledger holds settled customers as difference arrays: a customer settled
// over periods from..to adds its per-period share at from and takes it away
// at to+1, so that a running sum gives every period's total. The cohort
// cells are kept the same way, by cohort-table index (cohort + t).
type ledger struct {
	period        []ledgerRow // by period, 0..T
	churned       []float64   // settled customers leaving at the end of each period
	alive, margin []float64   // as CohortTable.Alive and Margin
	now           ledgerRow   // the running sum up to the current period
}

func newLedger(periods int, ct *CohortTable) ledger {
	return ledger{
		period: make([]ledgerRow, periods+1), churned: make([]float64, periods),
		alive: make([]float64, len(ct.Alive)), margin: make([]float64, len(ct.Margin)),
	}
}

// settle puts customer c, settled at the start of period t, its join
// period, with goodwill g, in the ledger: it lives periods t..end, leaving
// at the end of end if its resistance runs out within the horizon. If it
// does not, its value after the horizon is that of a stepped customer in
// the same state (see horizonValue): its state is constant, so the closed
// form is exact.
func (w *world) settle(c *customer, t int, g float64) {
	m, last := w.m, w.cfg.Horizon.Periods-1
	hazard := m.hazard(c, g, experience{})
	end, left := last, false
	if k := exhausts(c.resist, hazard, last-t+1); k <= last-t+1 {
		end, left = t+k-1, true
	}
	revenue, given, _ := m.bill(c, t-int(c.since), g)
	promoter, detractor := m.recommend(g, float64(c.ltr))
	l := &w.ledger
	l.period[t].join(c.channel(), promoter, detractor, g, revenue, given, 1)
	l.period[end+1].join(c.channel(), promoter, detractor, g, revenue, given, -1)
	if left {
		l.churned[end]++
	} else {
		w.after.add(m, c, t*int(NumChannels)+int(c.channel()), g) // its group (see world.group): it joined at t
	}
	margin := revenue - w.cfg.Pricing.UnitCost
	l.alive[int(c.cohort)+t]++
	l.margin[int(c.cohort)+t] += margin
	if age := end + 1 - t; age < w.out.Cohorts.Ages { // else past its cohort row's last age
		l.alive[int(c.cohort)+end+1]--
		l.margin[int(c.cohort)+end+1] -= margin
	}
}

// exhausts returns the number k of periods after which a resistance r >= 0,
// less the hazard h >= 0 each period, rounded as leaves rounds it, is first
// at or below 0, if k <= n, and otherwise n + 1. The first k subtractions
// err by at most k x 1.1e-16 x max(r, h) in all, below 1.1e-12 x max(r, h)
// for k <= 10000 periods (the longest horizon); so where r - nh exceeds
// 1e-11 x (r + h) the resistance outlasts the n periods, and where
// r - (K-1)h and Kh - r, with K = ceil(r/h), both do, the answer is K, as
// in exact arithmetic. Only otherwise are the subtractions made one by one.
func exhausts(r, h float64, n int) int {
	tol := 1e-11 * (r + h) // at least 1e-11 x max(r, h), without max's care for NaN
	if r-float64(n)*h > tol {
		return n + 1
	}
	if K := math.Ceil(r / h); K <= float64(n) && r-(K-1)*h > tol && K*h-r > tol {
		return int(K)
	}
	for k := 1; k <= n; k++ {
		if r -= h; r <= 0 {
			return k
		}
	}
	return n + 1
}

// advance moves the running sum to period t and returns it, with the
// settled customers who leave at the end of t. When no settled customer is
// left the sums are reset to exactly zero, so rounding in the differences
// leaves no residue.
func (l *ledger) advance(t int) (now *ledgerRow, churned float64) {
	l.now.add(&l.period[t], 1)
	if l.now.active == 0 {
		l.now = ledgerRow{}
	}
	return &l.now, l.churned[t]
}

// close adds the settled customers' cohort cells to ct, summing each cell's
// differences over its ages.
func (l *ledger) close(ct *CohortTable) {
	for row := 0; row < len(ct.Alive); row += ct.Ages {
		var alive, margin float64
		for k := row; k < row+ct.Ages; k++ {
			alive += l.alive[k]
			margin += l.margin[k]
			if alive == 0 {
				margin = 0 // no rounding residue in an empty cell
			}
			ct.Alive[k] += alive
			ct.Margin[k] += margin
		}
	}
}
