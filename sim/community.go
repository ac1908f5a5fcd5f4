package sim

// Community support (M14). A share of service contacts can go to a
// community of customers who answer each other's questions, as giffgaff
// answers much of its support through its members. The promoters are the
// ones who help, so the community's capacity and its resolution grow with
// them.
//
// Routing. A contact first goes to a person with probability h =
// policy.human_share, as before (M3). Each of the others is offered to the
// community with probability c = policy.community and answered there if the
// community has room: the community takes a non-human contact with
// probability
//
//	k = c x a,  a = min(1, capacity / demand),  demand = c x (1 - h) x contact_rate x A
//
// A the customers active at the start of the period: capacity is shared
// evenly among the contacts offered, whichever customers they come from,
// so that which contacts the community answers does not depend on the
// order customers are stepped in (and a contact keeps its own random
// numbers: see serve). Contacts offered beyond the capacity, and those
// never offered, go to self-service and on as in M3. An answered contact
// does not use self-service and never reaches a person.
//
// Capacity and resolution. With P the promoters counted at the end of the
// period before (for period 0, the initial customers who are promoters as
// they join), a world-level number, the same for every customer in the
// period,
//
//	helpers    = community.helper_share x P
//	capacity   = helpers x community.answers_per_helper      answers per period
//	r          = community.resolution_max x P / (P + community.promoters_half)   (0 when P = 0)
//
// r, the probability that a community answer resolves the issue, rises with
// the community's size toward its ceiling (a larger community knows more
// answers, as a hyperbolic saturation, an assumption); promoters_half is
// the size at which it is half the ceiling.
//
// Outcomes. An answer costs the firm community.cost (moderation, rewards
// to helpers), a part of cost_service and so of each customer's margin. A
// resolved answer is a good experience of community.goodwill (in place of
// service.resolved_goodwill); an unresolved one is a bad experience as any
// unresolved contact, service.unresolved_goodwill before the negativity
// bias, with its walk-away risk.
//
// Staffing. The frontline's headcount follows the contacts expected to
// reach a person (see frontline), now h + (1 - h)(1 - k) x escalation of
// them: the community saves the staff who would have answered them, not
// only the contacts' handling time. Utilisation, and with it the staff
// stock, does not change.
//
// After the horizon (see horizonValue) contacts are valued at the
// community's state in period T, from the promoters of period T-1.
//
// Sources: giffgaff (community support model): members answer most
// questions, often within minutes (figures order-of-magnitude /
// assumption) for the resolution ceiling; every other size is an
// assumption.
type community struct {
	cfg *Config
	// promoters is P: the promoters at the end of the last period
	// stepped, the initial customers' before period 0.
	promoters float64
	// The period's quantities: the answers the helpers can give, the
	// probability k that the community takes a contact not handled first
	// by a person, and its resolution probability r.
	capacity, take, resolve float64
}

// open reports whether the firm runs a community at all (policy.community
// above 0); without one nothing in this file changes a number.
func (c *community) open() bool { return c.cfg.Policy.Community > 0 }

// convene sets the period's capacity, take and resolution from P and the
// customers active at the period's start (see above).
func (c *community) convene(active float64) {
	cfg, cm := c.cfg, &c.cfg.Community
	c.capacity = c.promoters * cm.HelperShare * cm.AnswersPerHelper
	demand := cfg.Policy.Community * (1 - cfg.Policy.HumanShare) * cfg.Service.ContactRate * active
	admit := 1.0
	if demand > c.capacity {
		admit = c.capacity / demand
	}
	c.take = cfg.Policy.Community * admit
	c.resolve = 0
	if c.promoters > 0 {
		c.resolve = cm.ResolutionMax * c.promoters / (c.promoters + cm.PromotersHalf)
	}
}

// peerTally counts a period's community answers (see serve).
type peerTally struct {
	answers, resolved int
}

// useCommunity sets the model's routing of the current period from the
// community: a contact whose first uniform u falls in [h, h + (1 - h) k)
// goes to the community (see serve), which resolves it with probability
// r. It clears the tally.
func (m *model) useCommunity(c *community) {
	h := m.cfg.Policy.HumanShare
	m.peerTake, m.peerSolve = c.take, c.resolve
	m.peerTo = h + (1-h)*c.take
	m.peers = peerTally{}
}

// convene brings the community of period t together before its customers
// are stepped: the promoters it grows from (counted among the initial
// customers in period 0), its capacity and resolution, the model's routing
// and the frontline's headcount.
func (w *world) convene(t int) {
	if !w.comm.open() {
		return
	}
	if t == 0 {
		w.comm.promoters = w.ledger.period[0].promoters // the settled initial customers (see settle)
		for i := range w.customers {
			c := &w.customers[i]
			p, _ := w.m.recommend(float64(c.goodwill), float64(c.ltr))
			w.comm.promoters += float64(p)
		}
	}
	w.comm.convene(float64(len(w.customers)))
	w.m.useCommunity(&w.comm)
	w.staff.route(w.cfg, w.comm.take)
}

// recordCommunity writes the period's community metrics into row.
func (w *world) recordCommunity(row *[NumMetrics]float64) {
	if !w.comm.open() {
		return
	}
	p := w.m.peers
	row[CommunityCapacity] = w.comm.capacity
	row[CommunityAnswers] = float64(p.answers)
	row[CostCommunity] = float64(p.answers) * w.cfg.Community.Cost
	if p.answers > 0 {
		row[CommunityResolution] = float64(p.resolved) / float64(p.answers)
	}
}
