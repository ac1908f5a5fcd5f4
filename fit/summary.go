package fit

import (
	"fmt"
	"math"

	"github.com/retsim/retsim/internal/numfmt"
)

// z95 is the standard normal quantile of a two-sided 95% interval.
const z95 = 1.959963984540054

// ci95 is the 95% confidence interval of an estimate x > 0 with standard
// error se, normal on the log scale the fit works on: x times
// exp(-+1.96 se/x), the delta method's log-scale standard error.
func ci95(x, se float64) (lo, hi float64) {
	h := z95 * se / x
	return x * math.Exp(-h), x * math.Exp(h)
}

// AlphaCI is the 95% confidence interval of alpha, normal on the log
// scale.
func (r *Result) AlphaCI() (lo, hi float64) { return ci95(r.Alpha, r.AlphaSE) }

// BetaCI is the 95% confidence interval of beta; see AlphaCI.
func (r *Result) BetaCI() (lo, hi float64) { return ci95(r.Beta, r.BetaSE) }

// ChurnAfter is the probability that a customer who completed t >= 0
// periods of the model churns in the next one, alpha/(alpha+beta+t): the
// mean churn of the customers still active then, which falls with t as
// those likeliest to leave go first. ChurnAfter(0) is MeanChurn.
func (r *Result) ChurnAfter(t int) float64 { return r.Alpha / (r.Alpha + r.Beta + float64(t)) }

// lastTrained is the last training observation, in periods of the model.
func (r *Result) lastTrained() int { return (r.Train - 1) * r.every() }

// every is r.Every, 1 when not set.
func (r *Result) every() int { return max(r.Every, 1) }

// Verdict says in one sentence, without a final full stop, what the fit
// found: alpha and beta with their 95% confidence intervals and the churn
// they imply per period of the model, which period names (e.g. "month"):
// among new customers and among those still active at the last training
// observation.
func (r *Result) Verdict(period string) string {
	alo, ahi := r.AlphaCI()
	blo, bhi := r.BetaCI()
	who := ""
	if r.Cohort != "" {
		who = "cohort " + r.Cohort + ": "
	}
	return fmt.Sprintf("%salpha %s and beta %s (95%% confidence intervals): churn is %s a %s among new customers and falls to %s a %s among those still active after %d %ss, as those likeliest to leave go first",
		who, numfmt.Spread(r.Alpha, alo, ahi), numfmt.Spread(r.Beta, blo, bhi),
		percent(r.MeanChurn), period, percent(r.ChurnAfter(r.lastTrained())), period, r.lastTrained(), period)
}

// HeadlineRows is the table of key numbers of the fits in results, one
// row each, the header first: alpha and beta with their 95% confidence
// intervals, the churn per period (named by period) of new customers and
// of those still active at the last training observation, and the
// share of a cohort left then.
func HeadlineRows(results []*Result, period string) [][]string {
	rows := [][]string{{"fit", "alpha [95% CI]", "beta [95% CI]", "churn a " + period + ", new customers", "churn a " + period + " after the training data", "share left then (fitted)"}}
	for _, r := range results {
		alo, ahi := r.AlphaCI()
		blo, bhi := r.BetaCI()
		name := r.Data
		if r.Cohort != "" {
			name = "cohort " + r.Cohort
		}
		t := r.lastTrained()
		rows = append(rows, []string{name, numfmt.Spread(r.Alpha, alo, ahi), numfmt.Spread(r.Beta, blo, bhi),
			percent(r.MeanChurn), fmt.Sprintf("%s after %d %ss", percent(r.ChurnAfter(t)), t, period),
			percent(r.Periods[r.Train-1].Survival)})
	}
	return rows
}

// percent writes a share as a percentage with one decimal.
func percent(x float64) string { return numfmt.Fixed(100*x, 1, false) + "%" }
