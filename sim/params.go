package sim

import (
	"fmt"
	"math"
	"strconv"
)

// Param describes one configuration parameter: its dotted key, unit, allowed
// range, default and the source of that default. Params is the only place
// where defaults are written down.
type Param struct {
	Key     string
	Unit    string
	Min     float64 // lower bound; -Inf for none
	Max     float64 // upper bound; +Inf for none
	MinOpen bool    // the lower bound itself is not allowed
	// Capped says the finite ends of the range other than a lower bound of
	// 0 are safety bounds on an open-ended quantity (money, counts, sizes,
	// rates, goodwill), there so that no allowed value overflows memory or
	// totals, not natural ends of the range as a probability's 0 and 1 are.
	Capped  bool
	Whole   bool // whole numbers only
	Default float64
	Doc     string
	Source  string // a published figure (see SOURCES.md) or "assumption"
}

// Check reports whether x is an allowed value for p, as an error naming the
// key, what is allowed and what was given. A value beyond a safety bound
// (see Capped) is told the bound alone, e.g. "must be at most 1e+09".
func (p Param) Check(x float64) error {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return paramError(p.Key, "must be a finite number, got %v", x)
	}
	if p.Whole && x != math.Trunc(x) {
		return paramError(p.Key, "must be a whole number, got %v", x)
	}
	below := x < p.Min || (p.MinOpen && x == p.Min)
	if !below && x <= p.Max {
		return nil
	}
	want := p.Range()
	if p.Capped {
		want = p.lower()
		if !below {
			want = "at most " + number(p.Max)
		}
	}
	return paramError(p.Key, "must be %s, got %s", want, number(x))
}

// Range is the allowed range in words, e.g. "in [0, 1]", "> 0" or, with a
// safety bound, ">= 0, at most 1e+09".
func (p Param) Range() string {
	switch {
	case math.IsInf(p.Max, 1):
		return p.lower()
	case p.Capped:
		return p.lower() + ", at most " + number(p.Max)
	case p.MinOpen:
		return fmt.Sprintf("in (%s, %s]", number(p.Min), number(p.Max))
	default:
		return fmt.Sprintf("in [%s, %s]", number(p.Min), number(p.Max))
	}
}

// lower is the lower bound in words, e.g. "> 0".
func (p Param) lower() string {
	if p.MinOpen {
		return "> " + number(p.Min)
	}
	return ">= " + number(p.Min)
}

func number(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// Type is "integer" or "number".
func (p Param) Type() string {
	if p.Whole {
		return "integer"
	}
	return "number"
}

// Lookup returns the parameter with the given key.
func Lookup(key string) (Param, bool) {
	for _, p := range Params {
		if p.Key == key {
			return p, true
		}
	}
	return Param{}, false
}

var inf = math.Inf(1)

// Upper bounds shared by parameters of one kind. Every parameter that sizes
// memory or money has a finite bound, so that no allowed value can make a
// run's allocations or its totals overflow.
const (
	// maxMoney bounds every amount of money per customer, contact or event.
	maxMoney = 1e9
	// maxGoodwill bounds the goodwill moved by one experience.
	maxGoodwill = 100
)

// upTo is p with the safety bound max (see Capped).
func (p Param) upTo(max float64) Param {
	p.Max, p.Capped = max, true
	return p
}

func prob(key string, def float64, unit, doc, src string) Param {
	return Param{Key: key, Unit: unit, Min: 0, Max: 1, Default: def, Doc: doc, Source: src}
}

func nonneg(key string, def float64, unit, doc, src string) Param {
	return Param{Key: key, Unit: unit, Min: 0, Max: inf, Default: def, Doc: doc, Source: src}
}

func count(key string, def float64, unit, doc, src string) Param {
	return Param{Key: key, Unit: unit, Min: 0, Max: inf, Whole: true, Default: def, Doc: doc, Source: src}
}

// Params lists every parameter, in the order of MODEL.md's mechanisms. Each
// Source is a figure from SOURCES.md or the word "assumption"; survey figures
// are stated intentions, not observed behaviour, and are used as such.
var Params = []Param{
	count("seed", 1, "", "Seed of every random stream; same seed and configuration give identical output.", "assumption"),
	{Key: "replications", Unit: "runs", Min: 1, Max: 1e7, Capped: true, Whole: true, Default: 100, Doc: "Independent simulated worlds (Monte Carlo replications).", Source: "assumption"},

	{Key: "horizon.periods", Unit: "periods", Min: 1, Max: 10000, Whole: true, Default: 60, Doc: "Number of simulated periods; period 0 is the first; at most 10000.", Source: "assumption"},
	{Key: "horizon.periods_per_year", Unit: "periods/year", Min: 1, Max: 10000, Capped: true, Whole: true, Default: 12, Doc: "Periods in a year: sets anniversaries (loyalty price rises, retention discounts), acquisition cohorts (yearly over up to 10 years, whole years each beyond) and the per-period discount rate.", Source: "assumption (monthly billing)"},

	count("population.initial", 10000, "customers", "Customers at the start of period 0 (the first cohort, channel 'initial').", "assumption").upTo(1e9),

	// M6 Acquisition.
	count("market.potential", 0, "customers", "Market potential M: people who could ever become customers, including the initial ones; 0 means unlimited. Acquisition scales with the untapped share (M - ever acquired)/M, as in the Bass model.", "Bass (1969)").upTo(1e10),
	nonneg("market.paid_per_period", 0, "customers/period", "Paid acquisitions per period while the market is untapped; in Bass terms p*M.", "assumption").upTo(1e9),
	nonneg("market.cac", 0, "currency/customer", "Cost per customer acquired through the paid or discount channel.", "assumption").upTo(maxMoney),
	prob("market.deterrence", 0, "", "Negative word of mouth: paid and discount acquisitions are multiplied by (1 - deterrence * detractor share).", "assumption (East, Hammond & Wright 2007: negative word of mouth about a third as common as positive)"),

	// M1 Base churn, M4 walk-away.
	{Key: "churn.alpha", Min: 0, MinOpen: true, Max: inf, Default: 0.8, Doc: "alpha of the Beta(alpha, beta) distribution of base churn probability per period (shifted-beta-geometric). Declared segments (M13) give their own churn in its place.", Source: "assumption (model: Fader & Hardie 2007); with churn.beta, mean base churn 0.8/28.8, about 2.8% a month"},
	{Key: "churn.beta", Min: 0, MinOpen: true, Max: inf, Default: 28, Doc: "beta of the Beta(alpha, beta) distribution of base churn probability per period. Declared segments (M13) give their own churn in its place.", Source: "calibrated: baseline monthly churn in year one in [2%, 4%] (docs/plausibility.md; model: Fader & Hardie 2007)"},
	nonneg("churn.alpha_sd", 0, "", "Uncertainty in churn.alpha (e.g. a fit's standard error): when this or churn.beta_sd is above 0, each replication draws its (alpha, beta) from a normal with these standard deviations, truncated to positive values.", "assumption (0: parameters known)"),
	nonneg("churn.beta_sd", 0, "", "Uncertainty in churn.beta; see churn.alpha_sd.", "assumption (0: parameters known)"),
	{Key: "churn.alpha_beta_corr", Min: -1, Max: 1, Default: 0, Doc: "Correlation of the alpha and beta draws; see churn.alpha_sd.", Source: "assumption"},
	nonneg("churn.goodwill_effect", 1, "log-hazard/goodwill", "How much one unit of goodwill lowers the log hazard of churning in a period, before switching costs: the hazard is multiplied by exp(-goodwill_effect x (1 - switching.cost) x goodwill).", "assumption").upTo(100),
	prob("churn.walkaway", 0.05, "", "Probability that one bad experience alone makes a customer leave, before switching costs.", "PwC (2018): 32% would leave a loved brand after one bad experience (stated intention); scaled down to behaviour by assumption"),

	// M11 Switching costs.
	prob("switching.cost", 0.2, "", "0: leaving is free; 1: prohibitive (contracts, lock-in, no alternatives). Goodwill's effect on churn, walk-aways and the goodwill price premium are scaled by (1 - cost).", "assumption"),

	// M2 Goodwill.
	{Key: "goodwill.initial", Min: -10, Max: 10, Capped: true, Default: 0, Doc: "Goodwill of a new customer; 0 is neutral.", Source: "assumption"},
	prob("goodwill.decay", 0.85, "", "Share of goodwill kept from one period to the next (memory); goodwill moves toward 0 by (1 - decay) each period.", "assumption"),
	{Key: "goodwill.negativity_bias", Min: 1, Max: 100, Capped: true, Default: 2.25, Doc: "Multiplier on bad experiences relative to good ones of the same base size; the only place the model makes bad weigh more than good (bad and good experiences of one kind have equal base sizes by default).", Source: "Tversky & Kahneman (1992) loss weight 2.25; direction: Mittal, Ross & Baldasare (1998)"},

	// M7 Advocacy.
	{Key: "advocacy.ltr_neutral", Min: 0, Max: 10, Default: 8.5, Doc: "Likelihood to recommend (0-10) of an average customer at zero goodwill; with the default spread, NPS is about +41 at neutral goodwill (half the customers promoters, 9% detractors).", Source: "calibrated: NPS at the horizon of baseline in [0, 30], taking in [-20, 5], giving in [40, 70] (Temkin Group 2017, Satmetrix 2018; docs/plausibility.md); NPS classes: Reichheld 2003"},
	nonneg("advocacy.ltr_per_goodwill", 2, "points/goodwill", "Likelihood-to-recommend points per unit of goodwill.", "calibrated with advocacy.ltr_neutral: NPS at the horizon of taking in [-20, 5] and giving in [40, 70] (Temkin Group 2017; docs/plausibility.md)").upTo(100),
	nonneg("advocacy.ltr_spread", 1.5, "points", "Standard deviation of customers' personal offsets to likelihood to recommend.", "assumption").upTo(100),
	prob("advocacy.referral_rate", 0.4, "", "Probability per period that a promoter recommends the firm to someone.", "calibrated: implied Bass q of baseline in [0.2, 0.6] a year, here about 0.25 (Sultan, Farley & Lehmann 1990: average 0.38; docs/plausibility.md), with taking still earning more than giving in monopoly's market. Higher than Kumar, Petersen & Leone (2007), where 30-33% of customers refer: Bass q counts all imitation, and referrals are the model's only word-of-mouth channel"),
	prob("advocacy.referral_conversion", 0.13, "", "Probability that a recommendation becomes a customer (times the untapped market share). referral_rate x referral_conversion x promoter share is Bass q per period.", "Kumar, Petersen & Leone (2007): 12-14% of referrals become customers"),
	nonneg("advocacy.referral_reward", 0, "currency/referral", "Reward paid to the referrer per referred customer acquired.", "assumption").upTo(maxMoney),

	// M3 Service contacts.
	{Key: "service.contact_rate", Unit: "contacts/customer/period", Min: 0, Max: maxHazard, Capped: true, Default: 0.3, Doc: "Mean service contacts per customer per period (Poisson); at most 80.", Source: "assumption"},
	nonneg("service.self_cost", 0.10, "currency/contact", "Cost of a self-service contact.", "Gartner (2019): about USD 0.10").upTo(maxMoney),
	prob("service.self_resolution", 0.3, "", "Probability that self-service resolves a contact it handles to the end (one not passed to a person). The share of self-service journeys resolved without a person is (1 - service.escalation) x self_resolution; the rest are abandoned, a bad experience.", "assumption, set with service.escalation so that (1 - 0.7) x 0.3 = 9% of self-service journeys are resolved without a person: Gartner (2019), 9% resolve an issue entirely in self-service"),
	prob("service.escalation", 0.7, "", "Share of self-service contacts passed on to a person (who then costs, resolves and warms as any human contact) before self-service resolves them: the customer asks for a person or the issue needs one.", "assumption (Gartner 2019: customers who do not resolve in self-service mostly turn to live service)"),
	nonneg("service.human_cost_basic", 6, "currency/contact", "Cost of a human contact with staff skill 0 at market pay (policy.people 0.5): the handling time's share of pay and its other costs. Idle time, training and hiring are the staff cost (cost_staff, see staff.*).", "assumption (Gartner 2019: about USD 8.01 per live contact on average)").upTo(maxMoney),
	nonneg("service.human_cost_skilled", 10, "currency/contact", "Cost of a human contact with staff skill 1 at market pay; cost is linear in the staff's current skill (policy.staff_skill at the start) and multiplied by the people dial's pay factor.", "assumption (Gartner 2019: about USD 8.01 per live contact on average)").upTo(maxMoney),
	prob("service.human_resolution_basic", 0.6, "", "Probability that a person with staff skill 0 resolves a contact.", "assumption"),
	prob("service.human_resolution_skilled", 0.9, "", "Probability that a person with staff skill 1 resolves a contact; resolution is linear in the staff's current skill (policy.staff_skill at the start).", "assumption"),
	nonneg("service.warmth", 0.05, "goodwill", "Goodwill from talking to a person, resolved or not, when staff engagement is 0.5 (its start): a human contact warms by warmth x 2 x engagement.", "assumption (PwC 2018: about three quarters want more human interaction)").upTo(maxGoodwill),
	nonneg("service.resolved_goodwill", 0.1, "goodwill", "Goodwill from a resolved contact; by default the same base size as service.unresolved_goodwill.", "assumption").upTo(maxGoodwill),
	nonneg("service.unresolved_goodwill", 0.1, "goodwill", "Goodwill lost (before negativity bias) from a contact left unresolved. By default the same base size as service.resolved_goodwill: the negativity bias alone makes the bad outcome weigh more (2.25 times), so the asymmetry is counted once.", "assumption (equal base sizes; the asymmetry is goodwill.negativity_bias: Tversky & Kahneman 1992, Mittal, Ross & Baldasare 1998; Dixon, Freeman & Toman 2010: effort drives disloyalty)").upTo(maxGoodwill),

	{Key: "service.staffing", Unit: "staff per 1,000 human contacts/period", Min: 0, MinOpen: true, Max: 1e6, Capped: true, Default: 2.5, Doc: "Frontline headcount per 1,000 human contacts expected in a period: staff = staffing / 1000 x contact_rate x (human_share + (1 - human_share) x escalation) x active customers, each counted by its segment's contact_rate multiplier; a customer's margin carries the staff cost in the same proportion. Utilisation is rho = 1000 / (staffing x staff.capacity); a human contact waits staff.handle_minutes x rho / (1 - rho) minutes (M/M/1 mean wait in queue), at most staff.max_wait.", Source: "assumption (utilisation 0.8, a common contact-centre occupancy target)"},
	nonneg("service.wait_goodwill", 0.1, "goodwill/hour", "Goodwill lost (before negativity bias) per hour a human contact waits; self-service answers at once.", "assumption (an hour's wait hurts as much as an unresolved contact; Dixon, Freeman & Toman 2010: effort drives disloyalty)").upTo(maxGoodwill),

	// M12 Frontline staff, with M3's queue: see sim/staff.go.
	{Key: "staff.capacity", Unit: "contacts/person/period", Min: 0, MinOpen: true, Max: 1e9, Capped: true, Default: 500, Doc: "Human contacts one person can handle in a period at full utilisation (a month by default: change it with horizon.periods_per_year). A person's pay for a period is capacity x the cost of a human contact.", Source: "assumption (about 21 days x 7.5 hours x 3 contacts an hour)"},
	nonneg("staff.handle_minutes", 3, "minutes", "Scale of the wait: a human contact waits handle_minutes x rho / (1 - rho) minutes, the M/M/1 mean wait in queue with this mean handle time.", "assumption (half a typical handle time of about 6 minutes: a centre of many people pools its queue and waits less than one server would)").upTo(1e6),
	nonneg("staff.max_wait", 60, "minutes", "Cap on the mean wait (customers give up or are called back); the wait at utilisation 1 or above.", "assumption").upTo(1e6),
	prob("staff.pay_spread", 0.15, "", "How far the people dial moves pay from market pay: pay factor 1 + pay_spread x (2 people - 1), multiplying the cost of a human contact and of idle time.", "assumption"),
	prob("staff.attrition", 0.35, "per year", "Share of frontline staff who leave in a year, replaced by new hires at skill 0, at market pay and utilisation staff.load_reference; per period 1 - (1 - attrition)^(1/periods_per_year).", "contact-centre agent attrition commonly quoted at 30-45% a year (industry surveys; order of magnitude only)"),
	nonneg("staff.pay_attrition", 2, "", "Relative fall in attrition per relative rise in pay: attrition x max(0, 1 - pay_attrition x (pay factor - 1)).", "assumption (direction: Heskett et al. 1994, service-profit chain)").upTo(100),
	nonneg("staff.load_attrition", 1, "", "Relative rise in attrition per unit of utilisation above staff.load_reference: attrition x max(0, 1 + load_attrition x (min(rho, 1) - load_reference)).", "assumption").upTo(100),
	prob("staff.load_reference", 0.8, "", "Utilisation at which workload neither raises nor lowers attrition and engagement.", "assumption (the default staffing's utilisation)"),
	nonneg("staff.training_range", 1, "", "How far the people dial moves training from the training that sustains policy.staff_skill at policy.people 0.5: training x max(0, 1 + training_range x (2 people - 1)); 1: none at people 0, double at 1. At policy.staff_skill 0 there is no training to move.", "assumption").upTo(100),
	nonneg("staff.training_cost", 3000, "currency/person", "Cost of training one person from skill 0 to 1; a period's training costs training_cost x the share of the skill gap it closes, per person.", "assumption (about a month's pay)").upTo(maxMoney),
	nonneg("staff.hire_cost", 3000, "currency/hire", "Cost of recruiting one replacement for a person who left.", "assumption (about a month's pay)").upTo(maxMoney),
	prob("staff.people_engagement", 0.6, "", "How far the people dial moves target engagement: target = 0.5 + people_engagement x (people - 0.5) - load_engagement x (min(rho, 1) - load_reference), clamped to [0, 1].", "assumption (direction: Heskett et al. 1994, service-profit chain)"),
	nonneg("staff.load_engagement", 1, "", "Fall of target engagement per unit of utilisation above staff.load_reference.", "assumption").upTo(100),
	prob("staff.engagement_speed", 0.1, "", "Share of the gap between engagement and its target closed each period; engagement starts at 0.5.", "assumption (culture changes over about a year of monthly periods)"),

	// M14 Community support: see sim/community.go.
	prob("community.helper_share", 0.02, "", "Share of promoters who answer other customers' questions in the community in a period: helpers = promoters of the period before x helper_share.", "assumption (giffgaff (community support model): a small core of members gives most answers; figures order-of-magnitude / assumption)"),
	nonneg("community.answers_per_helper", 10, "answers/helper/period", "Answers one helper gives in a period: the community's capacity is helpers x answers_per_helper; contacts offered beyond it fall through to self-service.", "assumption").upTo(1e9),
	prob("community.resolution_max", 0.8, "", "Ceiling of the community's resolution probability: r = resolution_max x P / (P + community.promoters_half), P the promoters of the period before.", "giffgaff (community support model): members answer most questions, often within minutes; figures order-of-magnitude / assumption"),
	nonneg("community.promoters_half", 1000, "customers", "Promoters at which the community resolves half as often as its ceiling: a larger community knows more answers. 0: the ceiling whenever there is a promoter.", "assumption").upTo(1e10),
	nonneg("community.cost", 0.5, "currency/answer", "The firm's cost per community answer: moderation and rewards to helpers (part of cost_service).", "assumption (between self-service's USD 0.10 and a live contact's USD 8.01, Gartner 2019; giffgaff rewards its helpers with points)").upTo(maxMoney),
	nonneg("community.goodwill", 0.15, "goodwill", "Goodwill from a contact the community resolves, in place of service.resolved_goodwill: the answer and the warmth of being helped by a peer. An unresolved community answer is a bad experience as any unresolved contact (service.unresolved_goodwill).", "assumption (a resolved contact's 0.1 plus a person's warmth at engagement 0.5, 0.05: help from a peer warms as help from staff)").upTo(maxGoodwill),

	// M4 Incidents.
	{Key: "incidents.rate", Unit: "incidents/customer/period", Min: 0, Max: maxHazard, Capped: true, Default: 0.03, Doc: "Mean incidents (outage, lost card, billing error) per customer per period (Poisson); at most 80.", Source: "assumption"},
	nonneg("incidents.severity", 0.4, "goodwill", "Goodwill lost (before negativity bias) from an incident, before recovery.", "assumption").upTo(maxGoodwill),
	nonneg("incidents.fix_cost", 5, "currency/incident", "The firm's own cost of fixing an incident.", "assumption").upTo(maxMoney),
	prob("incidents.floor", 0.25, "", "Learning from feedback (M10) lowers the incident rate toward this share of incidents.rate, never below: failures the firm cannot remove (third parties, weather, wear).", "assumption"),

	// M10 Learning from feedback.
	nonneg("learning.budget", 0, "currency/customer/period", "Spending per active customer per period on tracing complaints (unresolved contacts and incidents) to their root causes and fixing them; its own cost line, cost_learning. It acts on at most budget / complaint_cost complaints per customer per period. 0: the firm does not act on complaints.", "assumption").upTo(maxMoney),
	{Key: "learning.complaint_cost", Unit: "currency/complaint", Min: 0, MinOpen: true, Max: maxMoney, Capped: true, Default: 20, Doc: "Cost of acting on one complaint: tracing it to its root cause and fixing that.", Source: "assumption (a few hours of an engineer's or analyst's time)"},
	nonneg("learning.effect", 1, "per complaint acted on per customer", "Learning's strength: each period the reducible incident rate (above the floor) is multiplied by exp(-effect x complaints acted on per active customer).", "assumption").upTo(1e6),

	// M5 Pricing, M8 economics.
	nonneg("pricing.list_price", 30, "currency/period", "List price per customer per period.", "assumption").upTo(maxMoney),
	nonneg("pricing.unit_cost", 12, "currency/period", "Variable cost of serving a customer for a period, before service contacts.", "assumption").upTo(maxMoney),
	nonneg("pricing.price_sensitivity", 2, "goodwill/relative change", "Goodwill moved per unit relative change of the recurring price (a 10% rise costs 0.2 before negativity bias; a cut gains the same without it). One-off fees have their own sensitivity, taking.fee_sensitivity.", "assumption").upTo(100),
	prob("pricing.goodwill_premium", 0.16, "", "Price premium that goodwill sustains where leaving is free: price is multiplied by 1 + premium * clamp(goodwill, 0, 1) * (1 - switching.cost). Scaled by (1 - switching.cost) because the premium is what goodwill earns against the customer's option to leave: where customers cannot leave, goodwill sustains no price difference (and only the taking firm's extra revenue and lower costs remain, MODEL.md D6).", "PwC (2018): up to 16% premium for great experience (stated intention); its scaling by switching cost is an assumption"),
	prob("pricing.overpay_share", 0.3, "", "Share of new customers on a plan dearer than they need.", "assumption (Citizens Advice 2018: 8 in 10 pay a loyalty penalty somewhere)"),
	nonneg("pricing.overpay_margin", 0.2, "", "How much dearer (relative) the unsuitable plan is than the one the customer needs.", "assumption").upTo(10),

	// The three dials.
	prob("policy.giving", 0.5, "", "Dial 1, taking (0) versus giving (1): taking levers are scaled by 1 - giving, giving levers by giving.", "assumption (neutral midpoint)"),
	prob("policy.generosity", 0.5, "", "Dial 2, discounts (0) versus generosity (1): discount depths are scaled by 1 - generosity, gesture probability by generosity.", "assumption (neutral midpoint)"),
	prob("policy.human_share", 0.5, "", "Dial 3: share of service contacts first handled by a person; the rest go to self-service.", "assumption"),
	prob("policy.staff_skill", 0.5, "", "Skill of service staff at the start (0 a new hire, 1 skilled): skilled people cost more and resolve more. The training of the neutral people policy (policy.people 0.5) sustains it; the people dial moves it from there (see staff.*).", "assumption"),
	prob("policy.people", 0.5, "", "How the firm treats its frontline staff, taking (0) to giving (1): pay (staff.pay_spread) and training (staff.training_range) rise with it, attrition falls and engagement rises. At 0.5 staff skill stays at policy.staff_skill.", "assumption (neutral midpoint; direction: Heskett et al. 1994, service-profit chain)"),

	prob("policy.community", 0, "", "Share of the contacts not first handled by a person that are offered to the customer community first (M14); those beyond its capacity fall through to self-service. 0: no community.", "assumption (0: no community, as most firms; giffgaff (community support model) answers much of its support this way)"),

	// Taking levers at giving = 0.
	nonneg("taking.loyalty_rise", 0.08, "per year", "Relative price rise at each anniversary of a tenured customer (the loyalty penalty).", "assumption (Citizens Advice super-complaint 2018)").upTo(10),
	nonneg("taking.fix_fee", 10, "currency/incident", "Fee charged for fixing the firm's own failure.", "assumption").upTo(maxMoney),
	nonneg("taking.fee_sensitivity", 0.6, "goodwill/(fee/list price)", "Goodwill lost (before negativity bias) per fee charged, per unit of the fee relative to the list price: a fee of one period's list price costs fee_sensitivity. A one-off charge is a one-off bad experience, not a price rise (pricing.price_sensitivity is for changes in the recurring price).", "assumption (the default fee, 10 on a list price of 30, costs 0.2: as much as upsell pressure, half an incident's severity)").upTo(100),
	prob("taking.upsell_rate", 0.02, "", "Probability per period that a customer on a suitable plan is pushed onto a dearer one.", "assumption"),
	nonneg("taking.upsell_goodwill", 0.2, "goodwill", "Goodwill lost (before negativity bias) by upsell pressure.", "assumption").upTo(maxGoodwill),

	// Giving levers at giving = 1.
	prob("giving.advice_rate", 0.2, "", "Probability per period that a customer on too dear a plan, and not advised in the last giving.advice_interval periods, is told of a cheaper one.", "assumption"),
	{Key: "giving.advice_interval", Unit: "periods", Min: 0, Max: 10000, Capped: true, Whole: true, Default: 12, Doc: "Periods after a piece of best-plan advice before a customer who stays on too dear a plan may be advised again; each piece of advice earns giving.advice_goodwill once. 0 or 1: in any period (at most once a period); at most 10000.", Source: "assumption (a yearly plan review)"},
	prob("giving.advice_uptake", 0.7, "", "Probability that a told customer moves to the cheaper plan (revenue falls).", "assumption"),
	nonneg("giving.advice_goodwill", 0.4, "goodwill", "Goodwill gained each time the firm volunteers a cheaper plan.", "assumption").upTo(maxGoodwill),
	prob("giving.fast_fix", 0.5, "", "Share of an incident's goodwill loss avoided by a free and fast fix.", "assumption"),

	// Discount levers at generosity = 0.
	prob("discounts.depth", 0.3, "", "Acquisition discount: share of the price taken off for a new customer's first discounts.months periods.", "assumption (Lewis 2006 studied discounts up to 35%)"),
	count("discounts.months", 3, "periods", "How long acquisition and retention discounts last.", "assumption").upTo(10000),
	prob("discounts.retention_depth", 0.1, "", "Retention discount: share of the price taken off at each anniversary for discounts.months periods, to customers who would mostly stay anyway.", "assumption"),
	nonneg("discounts.lift", 1, "", "Extra acquisitions through the discount channel per unit of discount depth, relative to paid_per_period.", "assumption").upTo(100),
	{Key: "discounts.dealseeker_churn", Min: 1, Max: 1000, Capped: true, Default: 2, Doc: "Multiplier on the base churn probability of customers won by the discount (deal-seekers).", Source: "Lewis (2006): a 35% acquisition discount gave customers worth about half as much; Datta, Foubert & van Heerde (2015): free-trial customers' CLV 59% lower"},

	// Generosity levers at generosity = 1.
	prob("generosity.gesture_rate", 0.8, "", "Probability of an unexpected gesture (free replacement, waived fee, next-day delivery) at an incident.", "assumption"),
	nonneg("generosity.gesture_cost", 8, "currency/gesture", "Cost of a gesture.", "assumption").upTo(maxMoney),
	nonneg("generosity.gesture_goodwill", 0.3, "goodwill", "Goodwill gained from a gesture.", "assumption (de Matos, Henrique & Rossi 2007: recovery lifts satisfaction more than loyalty)").upTo(maxGoodwill),

	nonneg("economics.discount_rate", 0.10, "per year", "Annual discount rate; per period d = (1 + rate)^(1/periods_per_year) - 1.", "assumption").upTo(100),
}
