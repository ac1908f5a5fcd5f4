package sim

import "math"

// Value after the horizon. The simulation stops after period T-1, but the
// customers still active then would go on earning margin. Each of them is
// valued at the start of period T in closed form, under one assumption:
// its state is frozen as the horizon leaves it:
//
//   - its goodwill and plan; its price the tariff at its tenure in period
//     T, except that a customer still in its acquisition discount, which by
//     design ends, follows the tariff to the discount's end and is frozen
//     there (later loyalty rises and retention discounts are not foreseen);
//   - its base churn hazard shifted by that goodwill (see hazard);
//   - service contacts and incidents (at the incident rate M10's learning
//     has reached: fixed causes stay fixed, and no more is learnt or spent
//     on learning, a firm-level cost outside any customer's margin) at their
//     expected cost, fees and walk-away risk, but with no effect on
//     goodwill; no plan advice or upselling, no referrals;
//   - the customer community (M14, see community) as the horizon leaves
//     it: the share of contacts it takes and its resolution in period T,
//     from the promoters of period T-1;
//   - the frontline (see frontline) as the horizon leaves it: human
//     contacts cost and resolve at its skill then, and the staff cost per
//     customer is that of period T (it would go on moving toward its
//     steady state, unless policy.people is 0.5, where skill is constant).
//
// A customer whose frozen expected margin per period is m and whose
// cumulative hazard per period is H (base churn plus the expected walk-away
// hazard, so retention r = e^-H) is then worth, at period T, with margin at
// the start of each period alive (the project's timing) and per-period
// discount rate d:
//
//	m (1 + r/(1+d) + (r/(1+d))^2 + ...) = m (1+d)/(1+d-r) = m (1+d)/(d - expm1(-H))
//
// (infinite when d = 0 and H = 0). Where each customer's retention and
// expected margin are constant this is exact, and lifetime value no longer
// depends on where the horizon falls (TestCLVWholeLifetime). Elsewhere it
// is an approximation whose errors have known directions: loyalty rises
// after the horizon would raise revenue and, as price shocks, churn; goodwill
// would drift toward neutral (so high goodwill overstates retention and low
// goodwill understates it); nobody acquired after the horizon counts.
//
// Two uses: added to a customer's margin within the horizon, discounted to
// its join period, it completes its lifetime value (CohortTable.Residual,
// Outcomes.CLV); summed over the customers active at the horizon and
// discounted to period 0, it is the firm's customer equity at the horizon
// (Gupta, Lehmann & Stuart 2004; Replication.Equity).
type horizonValue struct {
	periods  int
	fullFrom int     // the tenure at which an acquired customer's acquisition discount has ended
	rate     float64 // per-period discount rate d
	v        float64 // 1/(1+d)
	incident float64 // incidents per customer per period at the horizon (incidents.rate x M10's multiplier)
	// Expected service contacts' cost per period and walk-away hazard per
	// period, and per incident its cost less its fee and walk-away hazard.
	contactCost, contactHazard   float64
	staffCost                    float64 // the frontline's cost per customer per period (see frontline)
	incidentCost, incidentHazard float64
	// byGroup[join*NumChannels + channel] sums the value at period T of the
	// customers of that join period and channel active at the horizon.
	byGroup []float64
}

func newHorizonValue(m *model) horizonValue {
	cfg := m.cfg
	d := PeriodRate(*cfg)
	h := horizonValue{
		periods: cfg.Horizon.Periods, rate: d, v: 1 / (1 + d), incident: cfg.Incidents.Rate,
		fullFrom:       cfg.Discounts.Months, // within the tariff, whose tenures pass the horizon: Validate keeps discounts.months <= horizon.periods
		incidentCost:   cfg.Incidents.FixCost + m.gestureRate*cfg.Generosity.GestureCost - m.fixFee,
		incidentHazard: -math.Expm1(-m.incidentWalk),
		byGroup:        make([]float64, cfg.Horizon.Periods*int(NumChannels)),
	}
	h.contacts(m)
	return h
}

// contacts sets the expected service contacts' cost and walk-away hazard
// per period, and the staff cost per customer, from m's
// per-contact quantities: those of the frontline m was last applied to
// (see frontline), at the horizon its state then.
// Poisson(lambda) events each making the customer leave with probability
// p: survival e^(-lambda p), a hazard lambda p. The walk-away probabilities
// are 1 - e^-walk of the walk-away hazards (see newModel).
func (h *horizonValue) contacts(m *model) {
	rate := m.cfg.Service.ContactRate
	perContact, unresolved := m.expectedContact()
	h.contactCost = rate * perContact
	h.staffCost = m.staffCost
	h.contactHazard = rate * unresolved * -math.Expm1(-m.contactWalk)
}

// add values customer c, active at the horizon with goodwill g, at the
// start of period T, with its segment's contact and incident rates, adds
// the value to its group (see world.group) and returns it. Settled
// customers are added as they settle, stepped ones by valueAfterHorizon;
// settled customers only exist without incidents, so the incident rate,
// set at the horizon, is then 0 throughout.
func (h *horizonValue) add(m *model, c *customer, group int, g float64) (value float64) {
	seg := &m.segs[c.segment()]
	costs := m.cfg.Pricing.UnitCost + h.staffCost*seg.contacts + h.contactCost*seg.contacts + h.incident*seg.incidents*h.incidentCost
	hazard := m.hazard(c, g, experience{}) + h.contactHazard*seg.contacts + h.incident*seg.incidents*h.incidentHazard
	// The tariff is followed to the end of an acquisition discount, from
	// tenure n to frozen, each period worth x = r/(1+d) of the one before.
	n := h.periods - int(c.since)
	frozen := n
	if c.channel() != ChannelInitial {
		frozen = max(n, h.fullFrom)
	}
	x := h.v * math.Exp(-hazard)
	w := 1.0
	for tenure := n; tenure < frozen; tenure++ {
		revenue, _, _ := m.bill(c, tenure, g)
		value += w * (revenue - costs)
		w *= x
	}
	revenue, _, _ := m.bill(c, frozen, g)
	value += w * (revenue - costs) * (1 + h.rate) / (h.rate - math.Expm1(-hazard))
	h.byGroup[group] += value
	return value
}

// valueAfterHorizon values the stepped customers active at the horizon,
// at the incident rate M10's learning has reached, and writes the cohort
// tables' Residual and the replication's Equity.
func (w *world) valueAfterHorizon() {
	w.after.incident = w.cfg.Incidents.Rate * w.incidentMult
	w.convene(w.cfg.Horizon.Periods) // the community at the horizon, grown from the promoters of its last period
	w.m.apply(&w.staff)              // the frontline at the horizon: contacts cost and resolve at its skill
	w.after.contacts(w.m)
	st := &w.out.Segments
	for i := range w.customers {
		c := &w.customers[i]
		group := w.group(c)
		value := w.after.add(w.m, c, group, float64(c.goodwill))
		if st.Segments > 0 && c.channel() != ChannelInitial {
			st.Value[c.segment()] += value * w.vpow[w.cfg.Horizon.Periods-group/int(NumChannels)]
		}
	}
	w.out.Equity = w.after.close(&w.out.Cohorts)
}

// close writes the groups' values into ct's Residual, each discounted to
// its join period, and returns their sum discounted to period 0: customer
// equity at the horizon.
func (h *horizonValue) close(ct *CohortTable) (equity float64) {
	for group, x := range h.byGroup {
		if x == 0 {
			continue
		}
		join, ch := group/int(NumChannels), Channel(group%int(NumChannels))
		ct.Residual[ct.joinCell(join, ch)] += x * math.Pow(h.v, float64(h.periods-join))
		equity += x
	}
	return equity * math.Pow(h.v, float64(h.periods))
}
