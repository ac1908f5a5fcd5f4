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
	// Capped says Max is a safety bound on an open-ended quantity (money,
	// counts, sizes), there so that no allowed value overflows memory or
	// totals, not a natural end of the range.
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
	{Key: "horizon.periods_per_year", Unit: "periods/year", Min: 1, Max: 10000, Capped: true, Whole: true, Default: 12, Doc: "Periods in a year: sets anniversaries (loyalty price rises, retention discounts), yearly cohorts and the per-period discount rate.", Source: "assumption (monthly billing)"},

	count("population.initial", 10000, "customers", "Customers at the start of period 0 (the first cohort, channel 'initial').", "assumption").upTo(1e9),

	// M6 Acquisition.
	count("market.potential", 0, "customers", "Market potential M: people who could ever become customers, including the initial ones; 0 means unlimited. Acquisition scales with the untapped share (M - ever acquired)/M, as in the Bass model.", "Bass (1969)").upTo(1e10),
	nonneg("market.paid_per_period", 0, "customers/period", "Paid acquisitions per period while the market is untapped; in Bass terms p*M.", "assumption").upTo(1e9),
	nonneg("market.cac", 0, "currency/customer", "Cost per customer acquired through the paid or discount channel.", "assumption").upTo(maxMoney),
	prob("market.deterrence", 0, "", "Negative word of mouth: paid and discount acquisitions are multiplied by (1 - deterrence * detractor share).", "assumption (East, Hammond & Wright 2007: negative word of mouth about a third as common as positive)"),

	// M1 Base churn, M4 walk-away.
	{Key: "churn.alpha", Min: 0, MinOpen: true, Max: inf, Default: 0.8, Doc: "alpha of the Beta(alpha, beta) distribution of base churn probability per period (shifted-beta-geometric).", Source: "assumption (model: Fader & Hardie 2007; values give about 4% mean monthly churn)"},
	{Key: "churn.beta", Min: 0, MinOpen: true, Max: inf, Default: 20, Doc: "beta of the Beta(alpha, beta) distribution of base churn probability per period.", Source: "assumption (model: Fader & Hardie 2007)"},
	nonneg("churn.alpha_sd", 0, "", "Uncertainty in churn.alpha (e.g. a fit's standard error): when this or churn.beta_sd is above 0, each replication draws its (alpha, beta) from a normal with these standard deviations, truncated to positive values.", "assumption (0: parameters known)"),
	nonneg("churn.beta_sd", 0, "", "Uncertainty in churn.beta; see churn.alpha_sd.", "assumption (0: parameters known)"),
	{Key: "churn.alpha_beta_corr", Min: -1, Max: 1, Default: 0, Doc: "Correlation of the alpha and beta draws; see churn.alpha_sd.", Source: "assumption"},
	nonneg("churn.goodwill_effect", 1, "log-odds/goodwill", "How much one unit of goodwill lowers the log-odds of churning in a period, before switching costs.", "assumption").upTo(100),
	prob("churn.walkaway", 0.05, "", "Probability that one bad experience alone makes a customer leave, before switching costs.", "PwC (2018): 32% would leave a loved brand after one bad experience (stated intention); scaled down to behaviour by assumption"),

	// M11 Switching costs.
	prob("switching.cost", 0.2, "", "0: leaving is free; 1: prohibitive (contracts, lock-in, no alternatives). Goodwill's effect on churn, walk-aways and the goodwill price premium are scaled by (1 - cost).", "assumption"),

	// M2 Goodwill.
	{Key: "goodwill.initial", Min: -10, Max: 10, Default: 0, Doc: "Goodwill of a new customer; 0 is neutral.", Source: "assumption"},
	prob("goodwill.decay", 0.85, "", "Share of goodwill kept from one period to the next (memory); goodwill moves toward 0 by (1 - decay) each period.", "assumption"),
	{Key: "goodwill.negativity_bias", Min: 1, Max: 100, Capped: true, Default: 2.25, Doc: "Multiplier on bad experiences relative to good ones of the same size.", Source: "Tversky & Kahneman (1992) loss weight 2.25; direction: Mittal, Ross & Baldasare (1998)"},

	// M7 Advocacy.
	{Key: "advocacy.ltr_neutral", Min: 0, Max: 10, Default: 8, Doc: "Likelihood to recommend (0-10) of an average customer at zero goodwill; with the default spread, NPS is about +20 at neutral goodwill.", Source: "assumption (NPS classes: Reichheld 2003)"},
	nonneg("advocacy.ltr_per_goodwill", 2.5, "points/goodwill", "Likelihood-to-recommend points per unit of goodwill.", "assumption").upTo(100),
	nonneg("advocacy.ltr_spread", 1.5, "points", "Standard deviation of customers' personal offsets to likelihood to recommend.", "assumption").upTo(100),
	prob("advocacy.referral_rate", 0.03, "", "Probability per period that a promoter recommends the firm to someone.", "Kumar, Petersen & Leone (2007): 30-33% actually refer (per year, here spread over months)"),
	prob("advocacy.referral_conversion", 0.13, "", "Probability that a recommendation becomes a customer (times the untapped market share). referral_rate * referral_conversion is Bass q.", "Kumar, Petersen & Leone (2007): 12-14% of referrals become customers"),
	nonneg("advocacy.referral_reward", 0, "currency/referral", "Reward paid to the referrer per referred customer acquired.", "assumption").upTo(maxMoney),

	// M3 Service contacts.
	{Key: "service.contact_rate", Unit: "contacts/customer/period", Min: 0, Max: maxHazard, Default: 0.3, Doc: "Mean service contacts per customer per period (Poisson); at most 80.", Source: "assumption"},
	nonneg("service.self_cost", 0.10, "currency/contact", "Cost of a self-service contact.", "Gartner (2019): about USD 0.10").upTo(maxMoney),
	prob("service.self_resolution", 0.09, "", "Probability that self-service resolves a contact.", "Gartner (2019): 9% resolve entirely in self-service"),
	prob("service.escalation", 0.5, "", "Share of unresolved self-service contacts passed on to a person (who then costs and resolves as any human contact).", "assumption"),
	nonneg("service.human_cost_basic", 6, "currency/contact", "Cost of a human contact with staff skill 0.", "assumption (Gartner 2019: about USD 8.01 per live contact on average)").upTo(maxMoney),
	nonneg("service.human_cost_skilled", 10, "currency/contact", "Cost of a human contact with staff skill 1; cost is linear in policy.staff_skill.", "assumption (Gartner 2019: about USD 8.01 per live contact on average)").upTo(maxMoney),
	prob("service.human_resolution_basic", 0.6, "", "Probability that a person with staff skill 0 resolves a contact.", "assumption"),
	prob("service.human_resolution_skilled", 0.9, "", "Probability that a person with staff skill 1 resolves a contact; resolution is linear in policy.staff_skill.", "assumption"),
	nonneg("service.warmth", 0.05, "goodwill", "Goodwill from talking to a person, resolved or not.", "assumption (PwC 2018: about three quarters want more human interaction)").upTo(maxGoodwill),
	nonneg("service.resolved_goodwill", 0.05, "goodwill", "Goodwill from a resolved contact.", "assumption").upTo(maxGoodwill),
	nonneg("service.unresolved_goodwill", 0.2, "goodwill", "Goodwill lost (before negativity bias) from a contact left unresolved.", "assumption (Dixon, Freeman & Toman 2010: effort drives disloyalty)").upTo(maxGoodwill),

	// M4 Incidents, M10 learning.
	{Key: "incidents.rate", Unit: "incidents/customer/period", Min: 0, Max: maxHazard, Default: 0.03, Doc: "Mean incidents (outage, lost card, billing error) per customer per period (Poisson); at most 80.", Source: "assumption"},
	nonneg("incidents.severity", 0.4, "goodwill", "Goodwill lost (before negativity bias) from an incident, before recovery.", "assumption").upTo(maxGoodwill),
	nonneg("incidents.fix_cost", 5, "currency/incident", "The firm's own cost of fixing an incident.", "assumption").upTo(maxMoney),
	prob("incidents.learning", 0, "", "Learning from feedback (M10): after each period the incident rate is multiplied by (1 - learning * complaint share). 0: the firm does not act on complaints.", "assumption"),

	// M5 Pricing, M8 economics.
	nonneg("pricing.list_price", 30, "currency/period", "List price per customer per period.", "assumption").upTo(maxMoney),
	nonneg("pricing.unit_cost", 12, "currency/period", "Variable cost of serving a customer for a period, before service contacts.", "assumption").upTo(maxMoney),
	nonneg("pricing.price_sensitivity", 2, "goodwill/relative change", "Goodwill moved per unit relative price change (a 10% rise costs 0.2 before negativity bias; a cut gains the same without it).", "assumption").upTo(100),
	prob("pricing.goodwill_premium", 0.16, "", "Price premium that goodwill sustains: price is multiplied by 1 + premium * clamp(goodwill, 0, 1) * (1 - switching.cost).", "PwC (2018): up to 16% premium for great experience (stated intention)"),
	prob("pricing.overpay_share", 0.3, "", "Share of new customers on a plan dearer than they need.", "assumption (Citizens Advice 2018: 8 in 10 pay a loyalty penalty somewhere)"),
	nonneg("pricing.overpay_margin", 0.2, "", "How much dearer (relative) the unsuitable plan is than the one the customer needs.", "assumption").upTo(10),

	// The three dials.
	prob("policy.giving", 0.5, "", "Dial 1, taking (0) versus giving (1): taking levers are scaled by 1 - giving, giving levers by giving.", "assumption (neutral midpoint)"),
	prob("policy.generosity", 0.5, "", "Dial 2, discounts (0) versus generosity (1): discount depths are scaled by 1 - generosity, gesture probability by generosity.", "assumption (neutral midpoint)"),
	prob("policy.human_share", 0.5, "", "Dial 3: share of service contacts first handled by a person; the rest go to self-service.", "assumption"),
	prob("policy.staff_skill", 0.5, "", "Skill of service staff: skilled people cost more and resolve more.", "assumption"),

	// Taking levers at giving = 0.
	nonneg("taking.loyalty_rise", 0.08, "per year", "Relative price rise at each anniversary of a tenured customer (the loyalty penalty).", "assumption (Citizens Advice super-complaint 2018)").upTo(10),
	nonneg("taking.fix_fee", 10, "currency/incident", "Fee charged for fixing the firm's own failure.", "assumption").upTo(maxMoney),
	prob("taking.upsell_rate", 0.02, "", "Probability per period that a customer on a suitable plan is pushed onto a dearer one.", "assumption"),
	nonneg("taking.upsell_goodwill", 0.2, "goodwill", "Goodwill lost (before negativity bias) by upsell pressure.", "assumption").upTo(maxGoodwill),

	// Giving levers at giving = 1.
	prob("giving.advice_rate", 0.2, "", "Probability per period that a customer on too dear a plan is told of a cheaper one.", "assumption"),
	prob("giving.advice_uptake", 0.7, "", "Probability that a told customer moves to the cheaper plan (revenue falls).", "assumption"),
	nonneg("giving.advice_goodwill", 0.4, "goodwill", "Goodwill gained when the firm volunteers a cheaper plan.", "assumption").upTo(maxGoodwill),
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
