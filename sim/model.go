package sim

import (
	"math"
)

// customer is one customer's state: 56 bytes, no history. Its tenure is
// derived from since, its price from its tenure and plan.
type customer struct {
	key      uint64  // stream key: see customerKey
	resist   float64 // remaining resistance to churn: see leaves
	rate     float32 // base cumulative hazard per period, -log(1 - theta) (M1)
	goodwill float32 // relationship state, 0 neutral (M2)
	ltr      float32 // personal offset to likelihood to recommend (M7)
	// Clocks of the customer's recurring processes (see due).
	contact, incident, plan, refer float32

	cohort int32 // the customer's row in the cohort tables less its join period: age a is at cohort + join + a (M9)
	since  int32 // period its tenure counts from: its join period, or for an initial customer up to a year before period 0
	// kind holds how the customer was acquired (M9), its Channel, in the
	// low two bits, and its segment (M13) in the high six: see channel and
	// segment.
	kind    uint8
	overpay bool // on a plan dearer than needed (M5)
	// The first period in which the customer, on too dear a plan, may be
	// advised again (M5): its last advice's period + advice_interval, 0
	// before any advice. Horizons and intervals are at most 10000 periods,
	// so it is below 20000 and fits an int16, which fills the struct's
	// padding: 56 bytes still.
	nextAdvice int16
}

// kindOf packs a channel and a segment below MaxSegments into a
// customer's kind.
func kindOf(ch Channel, segment int) uint8 { return uint8(ch) | uint8(segment)<<2 }

// A channel fits in kind's two low bits.
var _ [4 - NumChannels]struct{}

// channel is how c was acquired (M9).
func (c *customer) channel() Channel { return Channel(c.kind & 3) }

// segment is c's segment (M13), 0 without declared segments.
func (c *customer) segment() int { return int(c.kind >> 2) }

// model holds a scenario's parameters resolved into the per-period
// quantities the mechanisms use: each dial applied to its levers once, so
// that the per-customer step only reads them.
type model struct {
	cfg      *Config
	leave    float64 // 1 - switching.cost: how far goodwill and bad experiences can move churn (M11)
	hold     float64 // goodwill_effect x leave: log hazard change per unit goodwill
	bias     float64 // negativity bias (M2)
	decay    float64 // goodwill memory (M2)
	discount float64 // per-period discount factor 1/(1+d) (M8)

	// Dial 1, taking versus giving.
	fixFee                float64 // taking lever x (1 - giving)
	fastFix               float64 // giving lever x giving
	incidentHurt          float64 // goodwill lost per incident before bias: severity x (1 - fast fix) + the fee's own hurt
	incidentWalk          float64 // walk-away hazard per incident, -log(1 - probability)
	contactWalk           float64 // walk-away hazard per unresolved contact
	gestureRate           float64 // dial 2: generosity.gesture_rate x generosity
	acqDepth, retDepth    float64 // dial 2: discount depths x (1 - generosity)
	humanCost, humanSolve float64 // dial 3: cost and resolution at the staff's current skill (see frontline)
	premium               float64 // goodwill price premium at goodwill >= 1 (M5), goodwill_premium x leave: see bill

	// The frontline this period (see frontline): a human contact's warmth
	// at the staff's engagement and the goodwill its wait costs, before
	// bias, and the staff cost per active customer (times its segment's
	// contact multiplier: see frontline).
	warmth, waitHurt, staffCost float64

	// The community of the current period (M14, see community): a
	// contact whose first uniform is in [human_share, peerTo) goes to it,
	// with probability peerTake if not first handled by a person, and it
	// resolves with probability peerSolve; peers counts its answers.
	peerTo, peerTake, peerSolve float64
	peers                       peerTally

	// Per-period survival factors of the chance processes' clocks (see
	// due), 1 - probability: planFactor[overpay] is for upsell (taking lever
	// x (1 - giving)) for a customer on the right plan, for advice (giving
	// lever x giving) for one on too dear a plan; referFactor[promoter] is
	// for recommendation, by promoters only.
	planFactor, referFactor [2]float32
	adviceInterval          int     // periods from one piece of advice to the next (M5)
	learnCap                float64 // complaints per customer per period the learning budget acts on (M10)

	// tariff[channel][tenure] is M5's price path for a customer of that
	// acquisition channel (see pricing), list[overpay] the list price of
	// the customer's plan.
	tariff   [NumChannels][]tariff
	list     [2]float64
	flatFrom [NumChannels]int // the tenure from which the channel's tariff no longer changes

	eventless bool // no service contacts and no incidents: see settles

	// segs are the segments (M13), the implicit one when none is declared;
	// segmented is whether any is declared, and cdf[channel] the cumulative
	// probabilities a joiner of that channel draws its segment from.
	segs      []segment
	segmented bool
	cdf       [NumChannels][]float64
}

// tariff is what M5's price path does at one tenure, per unit of list price.
type tariff struct {
	price     float64 // price factor: loyalty rises x discounts
	given     float64 // discounts given: loyalty-rise factor - price factor
	good, bad float64 // goodwill moved by the change from the tenure before: a cut is good, a rise bad
}

func newModel(cfg *Config) *model {
	g, gen := cfg.Policy.Giving, cfg.Policy.Generosity
	m := &model{
		cfg:         cfg,
		leave:       1 - cfg.Switching.Cost,
		hold:        cfg.Churn.GoodwillEffect * (1 - cfg.Switching.Cost),
		bias:        cfg.Goodwill.NegativityBias,
		decay:       cfg.Goodwill.Decay,
		discount:    1 / (1 + PeriodRate(*cfg)),
		fixFee:      cfg.Taking.FixFee * (1 - g),
		fastFix:     cfg.Giving.FastFix * g,
		gestureRate: cfg.Generosity.GestureRate * gen,
		acqDepth:    cfg.Discounts.Depth * (1 - gen),
		retDepth:    cfg.Discounts.RetentionDepth * (1 - gen),
		premium:     cfg.Pricing.GoodwillPremium * (1 - cfg.Switching.Cost),

		adviceInterval: cfg.Giving.AdviceInterval,
		learnCap:       cfg.Learning.Budget / cfg.Learning.ComplaintCost,
		peerTo:         cfg.Policy.HumanShare, // no community until one convenes
	}
	feeHurt := 0.0 // a one-off charge is a one-off experience, not a price rise: see fail
	if cfg.Pricing.ListPrice > 0 {
		feeHurt = cfg.Taking.FeeSensitivity * m.fixFee / cfg.Pricing.ListPrice
	}
	m.planFactor = [2]float32{float32(1 - cfg.Taking.UpsellRate*(1-g)), float32(1 - cfg.Giving.AdviceRate*g)}
	m.referFactor = [2]float32{1, float32(1 - cfg.Advocacy.ReferralRate)}
	m.incidentHurt = cfg.Incidents.Severity*(1-m.fastFix) + feeHurt
	m.incidentWalk = -math.Log1p(-cfg.Churn.Walkaway * m.leave * (1 - m.fastFix))
	m.contactWalk = -math.Log1p(-cfg.Churn.Walkaway * m.leave)
	m.pricing(cfg.Horizon.Periods + cfg.Horizon.PeriodsPerYear)
	m.eventless = cfg.Service.ContactRate == 0 && cfg.Incidents.Rate == 0
	m.segs, m.segmented, m.cdf = newSegments(cfg), len(cfg.Segments) > 0, segmentCDF(cfg)
	f := newFrontline(cfg)
	m.apply(&f) // the frontline of period 0; the world moves it on (see world.staff)
	return m
}

func lerp(a, b, x float64) float64 { return a + (b-a)*x }

// pricing tabulates M5's price path by tenure n (periods since joining):
//
//	factor(n) = (1 + loyalty_rise x (1 - giving))^floor(n / periods_per_year) x (1 - discount(n))
//	discount(n) = acquisition depth if acquired and n < months,
//	              retention depth if n >= periods_per_year and n mod periods_per_year < months, else 0
//
// and the goodwill each change moves (the price-change experience):
//
//	shock(n) = -price_sensitivity x (factor(n)/factor(n-1) - 1)
//
// a rise counting as a bad experience (weighted by the negativity bias when
// goodwill is updated), a cut as a good one. The end of a discount is a rise:
// under the negativity bias a temporary discount costs more goodwill than it
// earns. Sources: Citizens Advice (2018) for the loyalty penalty; the
// sensitivity is an assumption.
func (m *model) pricing(periods int) {
	cfg := m.cfg
	ppy, months := cfg.Horizon.PeriodsPerYear, cfg.Discounts.Months
	rise := cfg.Taking.LoyaltyRise * (1 - cfg.Policy.Giving)
	m.list = [2]float64{cfg.Pricing.ListPrice, cfg.Pricing.ListPrice * (1 + cfg.Pricing.OverpayMargin)}
	var path [2][]tariff // by acquired: 1 for customers won during the run
	for acq := range path {
		path[acq] = make([]tariff, periods)
		for n := range path[acq] {
			loyalty := math.Pow(1+rise, float64(n/ppy))
			d := 0.0
			switch {
			case acq == 1 && n < months:
				d = m.acqDepth
			case n >= ppy && n%ppy < months:
				d = m.retDepth
			}
			t := &path[acq][n]
			t.price = loyalty * (1 - d)
			t.given = loyalty - t.price
			if n > 0 && path[acq][n-1].price > 0 {
				shock := -cfg.Pricing.PriceSensitivity * (t.price/path[acq][n-1].price - 1)
				t.good, t.bad = max(shock, 0), max(-shock, 0)
			}
		}
	}
	for ch := range m.tariff {
		acq := b2i(Channel(ch) != ChannelInitial)
		m.tariff[ch] = path[acq]
		p, n := path[acq], len(path[acq])
		for n > 0 && p[n-1].good == 0 && p[n-1].bad == 0 && (n == len(p) || p[n-1] == p[n]) {
			n--
		}
		m.flatFrom[ch] = n
	}
}

// bill is M5 and M8's bill for customer c at tenure n with goodwill g, paid
// at the start of the period: the revenue (the list price of its plan x
// the tariff's price factor x (1 + premium x g clamped to [0, 1])) and the
// discounts given, with the tariff, whose goodwill shock the period brings.
//
// The premium is goodwill_premium x (1 - switching.cost). It is the price
// that goodwill sustains (M5): what a customer who could take its custom
// elsewhere pays over list to stay with a firm it likes. Where customers
// cannot leave, goodwill is not what keeps them paying, whether they like
// the firm or not; so the premium goodwill earns shrinks with the cost of
// leaving, as goodwill's effect on churn does (M11), and vanishes where
// leaving is prohibitive. Without the scaling goodwill would still pay
// there, and D6's premise, that only the taking firm's extra revenue and
// lower costs remain when customers cannot leave, would not hold. PwC's
// (2018) 16% premium is taken to apply where leaving is free.
func (m *model) bill(c *customer, n int, g float64) (revenue, given float64, t *tariff) {
	list := m.list[b2i(c.overpay)]
	t = &m.tariff[c.channel()][n]
	revenue = list * t.price
	if m.premium != 0 {
		revenue *= 1 + m.premium*unit(g)
	}
	return revenue, list * t.given, t
}

// unit is x clamped to [0, 1], max(0, min(1, x)) for any x but NaN,
// computed on the bits: non-negative numbers order as their bit patterns
// do, and negative ones have negative patterns as signed integers. It is two
// conditional moves, where min and max for floats take a dozen
// instructions to handle NaN and signed zeros.
func unit(x float64) float64 {
	return math.Float64frombits(uint64(min(max(int64(math.Float64bits(x)), 0), int64(math.Float64bits(1)))))
}

// experience collects one period's good and bad experiences of a customer
// and the walk-away hazard its bad experiences carry.
type experience struct {
	good, bad float64
	walk      float64 // sum over bad experiences of -log(1 - walk-away probability)
}

// updateGoodwill is M2: goodwill decays toward neutral and moves with the
// period's experiences, bad ones weighted by the negativity bias:
//
//	g(t+1) = decay x g(t) + good - bias x bad
//
// The bias is the model's only asymmetry between bad and good: the
// defaults give good and bad experiences of one kind (a resolved and an
// unresolved contact) the same base size, so it is counted once.
// Sources: bias 2.25, Tversky & Kahneman (1992); direction, Mittal, Ross &
// Baldasare (1998); decay is an assumption.
func (m *model) updateGoodwill(g float64, e experience) float64 {
	return m.decay*g + e.good - m.bias*e.bad
}

// hazard is M1 with M2, M4 and M11: the cumulative hazard of churning at
// the end of a period, H = -log(1 - h), where h is the probability of
// leaving. Goodwill g shifts the complementary log-log of the customer's
// base churn theta (a grouped proportional-hazards model, Prentice &
// Gloeckler 1978), scaled by how easily customers can leave, and each bad
// experience adds its walk-away hazard:
//
//	H = -log(1 - theta) x exp(-k) + walk,  k = goodwill_effect x (1 - switching.cost) x g
//	h = 1 - (1 - theta)^exp(-k)   before walk-aways
//
// With g = 0 and no walk-aways h = theta: the shifted-beta-geometric model
// of Fader & Hardie (2007).
func (m *model) hazard(c *customer, g float64, e experience) float64 {
	h := float64(c.rate)
	if k := m.hold * g; k != 0 {
		h *= exp(-k)
	}
	return h + e.walk
}

// leaves decides churn at the end of a period by threshold coupling: a
// customer draws a resistance R ~ Exponential(1) when it joins and leaves at
// the end of the first period by which its cumulative hazard reaches R.
// P(survive periods 1..t) = exp(-sum of hazards) = product of (1 - h), so
// this is the same model as an independent Bernoulli(h) draw each period;
// but it needs no draw per period, and two policies that differ in a
// customer's hazard keep the same resistance: a higher hazard never lets a
// customer stay longer (common random numbers at their tightest).
func (m *model) leaves(c *customer, hazard float64) bool {
	c.resist -= hazard
	return c.resist <= 0
}

// recommend is M7: likelihood to recommend on the 0-10 scale,
//
//	LTR = clamp(round(ltr_neutral + ltr_per_goodwill x g + offset), 0, 10)
//
// (round half away from zero)
//
// classified as promoter (9-10), passive (7-8) or detractor (0-6) after
// Reichheld (2003). It returns 1 for a promoter, 0 otherwise, and likewise
// for a detractor: counts to add, not branches to take, as the class of one
// customer tells nothing of the next one's.
func (m *model) recommend(g, offset float64) (promoter, detractor int) {
	// round(x) >= 9 exactly when x >= 8.5, and round(x) <= 6 when x < 6.5.
	ltr := m.cfg.Advocacy.LTRNeutral + m.cfg.Advocacy.LTRPerGoodwill*g + offset
	return b2i(ltr >= 8.5), b2i(ltr < 6.5)
}

// b2i is 1 for true and 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// traits draws a new customer's fixed traits (M1, M5, M6, M7) from its
// traits stream: base churn theta ~ base, Beta(alpha, beta), multiplied by
// discounts.dealseeker_churn (capped at 1) for deal-seekers (Lewis 2006);
// a likelihood-to-recommend offset ~ Normal(0, ltr_spread); and whether the
// customer is on a plan dearer than needed, with probability overpay_share
// (to 2^-32, see pair). An initial customer's anniversary, uniform over the
// year before period 0, comes from the same 64-bit draw, each period with
// probability 1/periods_per_year to 2^-32. Its resistance to churn (see
// leaves) is the stream's next draw after its base churn. None of these draws depends on the policy, so the clocks of
// its recurring processes, which come last, from startClocks, and only for
// a customer who is stepped (see settles), are the same in every scenario.
func (m *model) traits(c *customer, join int, s stream, base *baseChurn) {
	r := s.Rand()
	mult := 1.0
	if c.channel() == ChannelDiscount {
		mult = m.cfg.Discounts.DealseekerChurn
	}
	c.rate = float32(base.rate(s, mult))
	c.resist = s.Exp()
	c.ltr = float32(r.NormFloat64() * m.cfg.Advocacy.LTRSpread)
	fit, anniversary := pair(s.pcg.Uint64())
	c.overpay = fit < m.cfg.Pricing.OverpayShare
	c.goodwill = float32(m.cfg.Goodwill.Initial)
	c.since = int32(join)
	if c.channel() == ChannelInitial {
		// Initial customers joined during the year before period 0, so
		// their anniversaries are spread over the year.
		c.since = -int32(anniversary * float64(m.cfg.Horizon.PeriodsPerYear))
	}
}

// startClocks starts the clocks of a customer's recurring processes (see
// due), continuing its traits stream s.
func startClocks(c *customer, s stream) {
	c.contact, c.incident, c.plan, c.refer = startClock(s.pcg.Uint64()), startClock(s.pcg.Uint64()), startClock(s.pcg.Uint64()), startClock(s.pcg.Uint64())
}

// serve is M3 with M14: the period's n service contacts (Poisson(contact_rate) a
// period, from the customer's contact clock), drawing from r. Each contact
// is one issue; it goes to a person with probability human_share, else,
// with probability policy.community x the community's room (see
// community), to the customer community, else to self-service. A person costs and resolves according to the staff's
// current skill, adds warmth by their current engagement and makes the
// customer wait, a bad experience (see frontline). The community costs
// community.cost and resolves with its current probability; a resolved
// answer earns community.goodwill. An issue that starts in self-service (cost self_cost) is a
// journey that ends in one of three ways: the customer is passed to a
// person with probability escalation (asks for one, or the issue needs
// one), who then costs, resolves and warms as above; otherwise
// self-service resolves it with the per-contact probability
// self_resolution; otherwise the customer gives up (abandoned). The shares
// of self-service journeys are
//
//	resolved without a person  (1 - escalation) x self_resolution
//	passed to a person         escalation
//	abandoned                  (1 - escalation) x (1 - self_resolution)
//
// The defaults, escalation 0.7 and self_resolution 0.3 (assumptions),
// resolve 9% of self-service journeys without a person, Gartner's (2019)
// figure for whole journeys, where the rest mostly turn to live service.
// A resolved contact is a good experience (resolved_goodwill), an
// unresolved one a bad experience (unresolved_goodwill, the same base size
// by default) that may trigger a walk-away. Each contact uses four uniforms
// (two draws, see pair) whatever its path, so streams stay aligned across
// policies; a person resolves with the same uniform whether the contact
// reached them first or by escalation, and the community with the uniform
// self-service resolves with (so that, where the community resolves at
// least as often as self-service, it resolves every contact self-service
// would have kept and resolved). Without a community (policy.community 0)
// the first uniform's range [human_share, peerTo) is empty and every
// number is as it was before M14. It returns e with the contacts'
// experiences added, the cost (community answers included) and the
// numbers of human (escalations included) and unresolved contacts; it
// counts community answers in m.peers.
func (m *model) serve(r stream, n int, e experience) (_ experience, cost float64, human, unresolved int) {
	s := &m.cfg.Service
	for i := 0; i < n; i++ {
		toHuman, solve := pair(r.pcg.Uint64())
		escalate, selfSolve := pair(r.pcg.Uint64())
		person := toHuman < m.cfg.Policy.HumanShare
		peer := !person && toHuman < m.peerTo
		if !person && !peer {
			cost += s.SelfCost
			person = escalate < s.Escalation
		}
		var resolved bool
		good := s.ResolvedGoodwill
		switch {
		case person:
			resolved = solve < m.humanSolve
			cost += m.humanCost
			human++
			e.good += m.warmth
			e.bad += m.waitHurt
		case peer:
			resolved = selfSolve < m.peerSolve
			cost += m.cfg.Community.Cost
			good = m.cfg.Community.Goodwill
			m.peers.answers++
			m.peers.resolved += b2i(resolved)
		default:
			resolved = selfSolve < s.SelfResolution
		}
		if resolved {
			e.good += good
		} else {
			e.bad += s.UnresolvedGoodwill
			e.walk += m.contactWalk
			unresolved++
		}
	}
	return e, cost, human, unresolved
}

// expectedContact is serve's expectation for one contact: its cost and the
// probability that it ends unresolved. Of the contacts not first handled
// by a person, 1 - human_share, the community takes the share k (see
// community), q = (1 - human_share) x k of all, and self-service the rest;
// a contact reaches a person with probability p = human_share + (1 -
// human_share)(1 - k) x escalation, and stays in self-service to its end
// with probability 1 - p - q.
//
//	cost       = (1 - human_share)(1 - k) x self_cost + p x human cost + q x community.cost
//	unresolved = p x (1 - human resolution) + (1 - p - q) x (1 - self_resolution) + q x (1 - r)
//
// r the community's resolution.
func (m *model) expectedContact() (cost, unresolved float64) {
	s, h := &m.cfg.Service, m.cfg.Policy.HumanShare
	self := (1 - h) * (1 - m.peerTake)
	q := (1 - h) * m.peerTake
	p := h + self*s.Escalation
	cost = self*s.SelfCost + p*m.humanCost + q*m.cfg.Community.Cost
	unresolved = p*(1-m.humanSolve) + (1-p-q)*(1-s.SelfResolution) + q*(1-m.peerSolve)
	return cost, unresolved
}

// fail is M4 with dials 1 and 2: the period's n incidents (Poisson(rate x
// learning multiplier) a period, from the customer's incident clock),
// drawing from r. Each costs the firm fix_cost; a taking
// firm charges fix_fee (revenue); a giving firm's free, fast fix avoids a
// share fast_fix of the goodwill lost and of the walk-away risk (PwC 2018:
// 32% would leave after one bad experience, stated); a generous firm makes
// a gesture with probability gesture_rate. The goodwill an incident costs,
// before the negativity bias, is
//
//	severity x (1 - fast_fix x giving) + fee_sensitivity x fee / list_price,  fee = fix_fee x (1 - giving)
//
// the fee being a one-off bad experience of its own (fee_sensitivity, an
// assumption), not a price rise: a rise of the recurring price by the fee
// would move goodwill by price_sensitivity x fee / list_price, at the
// defaults 0.67, more than the failure it charges for (0.4).
// It returns e with the incidents' experiences added, the gestures, fees
// and costs (fixing, gestures).
func (m *model) fail(r stream, n int, e experience) (_ experience, gestures int, fees, fixCost, gestureCost float64) {
	for i := 0; i < n; i++ {
		gesture := uniform(r.pcg.Uint64())
		e.bad += m.incidentHurt
		e.walk += m.incidentWalk
		fees += m.fixFee
		fixCost += m.cfg.Incidents.FixCost
		if gesture < m.gestureRate {
			gestures++
			gestureCost += m.cfg.Generosity.GestureCost
			e.good += m.cfg.Generosity.GestureGoodwill
		}
	}
	return e, gestures, fees, fixCost, gestureCost
}

// learn is M10, learning from feedback: a firm that pays to act on
// complaints lowers its future incident rate, toward a floor. The incident
// rate in period t is incidents.rate x m(t), with m(0) = 1 and, after each
// period,
//
//	m(t+1) = floor + (m(t) - floor) x exp(-effect x a(t))
//	a(t)   = min(c(t), budget / complaint_cost)
//
// where c(t) is the period's complaints (unresolved contacts and incidents)
// per active customer and a(t) those the budget acts on: learning.budget
// per active customer buys the root-cause fixes of budget / complaint_cost
// complaints per customer. Returns diminish twice: a budget beyond the
// complaints there are buys nothing, and each fix removes a share of the
// reducible rate that is left, which shrinks toward incidents.floor, the
// share of failures the firm cannot remove; m never falls below it. The
// budget is spent whether or not complaints use it all (a team, not a fee
// per complaint): cost_learning = budget x active customers each period.
// Fixed causes stay fixed: after the horizon the rate stays at m(T) (see
// horizonValue). With no budget m stays exactly 1. All values are
// assumptions.
func (m *model) learn(mult, complaints float64) float64 {
	acted := min(complaints, m.learnCap)
	if acted <= 0 {
		return mult
	}
	floor := m.cfg.Incidents.Floor
	return max(floor, floor+(mult-floor)*math.Exp(-m.cfg.Learning.Effect*acted))
}

// plan is M5's plan fit with dial 1. A giving firm tells a customer on too
// dear a plan of a cheaper one with probability advice_rate x giving in
// each period in which it may be advised (see advisable): each piece of
// advice is an event that earns advice_goodwill once, and the customer
// moves down with probability advice_uptake (revenue falls) or else may be
// advised again advice_interval periods later. A taking firm pushes a
// customer on a suitable plan onto a dearer one with probability
// upsell_rate x (1 - giving) a period (revenue rises, goodwill falls).
// planFactor holds 1 - the customer's chance this period, its plan clock's
// factor (see due); plan is called in period t when the clock fires, with
// the substream r, and returns e with the experience added and whether
// the customer moved down.
func (m *model) plan(c *customer, t int, r stream, e experience) (_ experience, movedDown bool) {
	if c.overpay {
		e.good += m.cfg.Giving.AdviceGoodwill
		c.nextAdvice = int16(t + m.adviceInterval)
		if uniform(r.pcg.Uint64()) < m.cfg.Giving.AdviceUptake {
			c.overpay = false
			return e, true
		}
		return e, false
	}
	c.overpay = true
	e.bad += m.cfg.Taking.UpsellGoodwill
	return e, false
}

// advisable reports whether customer c's plan clock runs in period t: it
// always does for a customer on a suitable plan (upselling), and for one
// on too dear a plan from advice_interval periods after its last advice.
// While it is stopped the customer cannot be advised; as each period's
// chance of advice is independent of the others, the clock's first event
// after it restarts comes with the same chance each period, exactly as
// though it had run and its events had been ignored.
func advisable(c *customer, t int) bool {
	return !c.overpay || t >= int(c.nextAdvice)
}

// refer is M7's referrals, consistent with Bass (1969): a promoter
// recommends the firm with probability referral_rate a period (its referral
// clock ticks only while it is a promoter); refer is called when it does,
// with a uniform number u in [0, 1) from the referral's substream, and
// reports whether the recommendation converts, which it does with
// probability referral_conversion x untapped, the
// untapped share of the market. Expected conversions are
// q x promoters x (M - N)/M with q = referral_rate x referral_conversion.
// Sources: Kumar, Petersen & Leone (2007).
func (m *model) refer(u, untapped float64) (converted bool) {
	return u < m.cfg.Advocacy.ReferralConversion*untapped
}
