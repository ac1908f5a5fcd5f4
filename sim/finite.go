package sim

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// MaxMagnitude is the largest absolute value a replication may record: the
// statistics square values (variances), so anything beyond 1e150 could
// overflow to infinity on the way to the outputs. The parameters' bounds
// (see Param.Capped) keep every allowed configuration below it; a value
// beyond it, infinite or NaN fails the run with a *NonFiniteError rather
// than writing NA, Inf or null.
const MaxMagnitude = 1e150

// NonFiniteError is a replication that recorded a value that is not finite
// or beyond MaxMagnitude, with the parameters that most likely made it.
type NonFiniteError struct {
	Replication, Period int
	Quantity            string  // a metric's name, or "cohort margin"
	Value               float64 // the value recorded
	// Causes are "key=value" for the non-zero parameters that feed the
	// quantity, largest value first.
	Causes []string
}

func (e *NonFiniteError) Error() string {
	return fmt.Sprintf("replication %d, period %d: %s is %s, not a finite number within %g; likely from %s",
		e.Replication, e.Period, e.Quantity, strconv.FormatFloat(e.Value, 'g', 4, 64), MaxMagnitude, strings.Join(e.Causes, ", "))
}

// Parameters behind each kind of recorded quantity, for NonFiniteError.
var (
	revenueKeys = []string{"pricing.list_price", "pricing.overpay_margin", "taking.loyalty_rise", "taking.fix_fee"}
	costKeys    = []string{"pricing.unit_cost", "service.self_cost", "service.human_cost_basic", "service.human_cost_skilled",
		"incidents.fix_cost", "generosity.gesture_cost", "advocacy.referral_reward", "market.cac"}
	goodwillKeys = []string{"pricing.price_sensitivity", "taking.loyalty_rise", "taking.fix_fee", "incidents.severity",
		"service.unresolved_goodwill", "service.warmth", "service.resolved_goodwill", "generosity.gesture_goodwill",
		"giving.advice_goodwill", "taking.upsell_goodwill", "goodwill.negativity_bias"}
	countKeys = []string{"population.initial", "market.paid_per_period", "discounts.lift"}
	moneyKeys = slices.Concat(revenueKeys, costKeys)
)

// metricKeys are the parameters behind metric m.
func metricKeys(m Metric) []string {
	switch m {
	case Revenue, DiscountsGiven:
		return revenueKeys
	case Fees:
		return []string{"taking.fix_fee"}
	case CostVariable:
		return []string{"pricing.unit_cost"}
	case CostService:
		return []string{"service.self_cost", "service.human_cost_basic", "service.human_cost_skilled"}
	case CostIncidents:
		return []string{"incidents.fix_cost"}
	case CostGestures:
		return []string{"generosity.gesture_cost"}
	case CostReferral:
		return []string{"advocacy.referral_reward"}
	case CostAcquisition:
		return []string{"market.cac"}
	case Cost, Profit, CumulativeProfit, CumulativeDiscountedProfit:
		return moneyKeys
	case GoodwillMean, Promoters, Passives, Detractors, NPS:
		return goodwillKeys
	}
	return countKeys
}

// checkFinite returns a *NonFiniteError for the first value of rep, a
// replication of cfg, that is not finite or beyond MaxMagnitude.
func checkFinite(cfg *Config, rep int, r *Replication) error {
	bad := func(x float64) bool { return !(math.Abs(x) <= MaxMagnitude) } // NaN too
	fail := func(t int, quantity string, x float64, keys []string) error {
		return &NonFiniteError{Replication: rep, Period: t, Quantity: quantity, Value: x, Causes: causes(cfg, keys)}
	}
	for t := range r.Series {
		for m, x := range r.Series[t] {
			if bad(x) {
				return fail(t, Metric(m).String(), x, metricKeys(Metric(m)))
			}
		}
	}
	ct := &r.Cohorts
	for i, x := range ct.Margin {
		if bad(x) {
			return fail(i%ct.Ages, "cohort margin", x, moneyKeys)
		}
	}
	return nil
}

// causes are "key=value" for the keys with a non-zero value in cfg, largest
// value first.
func causes(cfg *Config, keys []string) []string {
	type kv struct {
		key string
		x   float64
	}
	var set []kv
	for _, k := range keys {
		if x, err := cfg.Get(k); err == nil && x != 0 {
			set = append(set, kv{k, x})
		}
	}
	slices.SortStableFunc(set, func(a, b kv) int { return cmp.Compare(b.x, a.x) })
	out := make([]string, len(set))
	for i, s := range set {
		out[i] = s.key + "=" + strconv.FormatFloat(s.x, 'g', -1, 64)
	}
	return out
}
