package fit

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"text/tabwriter"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Result is a fit of the sBG model: the estimates with their uncertainty,
// observed versus fitted survival and retention by period, and a projection.
// Survival and retention are shares in [0, 1]; periods count from 0, the
// period of acquisition.
type Result struct {
	Data      string `json:"data"`             // input file name
	Format    string `json:"format"`           // input layout
	Cohort    string `json:"cohort,omitempty"` // cohort fitted; empty when all cohorts are pooled
	Cohorts   int    `json:"cohorts"`          // cohorts in the fit
	Customers int64  `json:"customers"`        // customers in the fit
	Train     int    `json:"train_periods"`    // periods 0..Train-1 entered the likelihood
	Observed  int    `json:"observed_periods"` // periods 0..Observed-1 are in the data
	// Every is the number of the model's periods between two observations:
	// with Every K > 1, Periods, Projection, Train and Observed count
	// observations, row k being the start of period k*K, and survival and
	// retention are shown at observations, while alpha, beta and MeanChurn
	// are per period.
	Every int `json:"every"`

	Alpha   float64 `json:"alpha"`           // estimate of alpha, > 0
	Beta    float64 `json:"beta"`            // estimate of beta, > 0
	AlphaSE float64 `json:"alpha_se"`        // standard error of alpha (observed information, delta method)
	BetaSE  float64 `json:"beta_se"`         // standard error of beta
	Corr    float64 `json:"alpha_beta_corr"` // correlation of the alpha and beta estimates, in [-1, 1]

	LogLikelihood float64 `json:"log_likelihood"` // of the training data at the estimates
	MeanChurn     float64 `json:"mean_churn"`     // alpha/(alpha+beta): mean churn probability per period of a new customer

	Draws int    `json:"draws"` // parameter draws behind the 5/50/95% intervals
	Seed  uint64 `json:"seed"`  // seed of those draws

	Periods    []Row    `json:"periods"`    // periods 0..Observed-1
	Projection []Fitted `json:"projection"` // periods Observed..Observed+Project-1
}

// Fitted is the model's survival and retention at one period.
type Fitted struct {
	Period    int     `json:"period"`       // t, an observation: the start of period t*Every of the model
	Survival  float64 `json:"survival"`     // S(t) at the estimates
	Low       float64 `json:"survival_p5"`  // 5% quantile of S(t) over parameter draws
	Median    float64 `json:"survival_p50"` // 50% quantile
	High      float64 `json:"survival_p95"` // 95% quantile
	Retention Float   `json:"retention"`    // S(t)/S(t-1) at the estimates, over one observation interval; null at period 0
}

// Row is one observed period: what the data show beside the fit.
type Row struct {
	Fitted
	Holdout           bool  `json:"holdout"`            // the period was not used in the fit
	Alive             int64 `json:"alive"`              // customers seen active at the start of the period (all cohorts observed that long)
	ObservedSurvival  Float `json:"observed_survival"`  // Kaplan-Meier estimate; null when no customer was observed that long
	ObservedRetention Float `json:"observed_retention"` // share of customers at risk who stayed; null at period 0 or with none at risk
}

// Float is a float64 written to JSON as null when it is NaN (not observed or
// not defined) or infinite.
type Float float64

// MarshalJSON writes f as a JSON number, or null when f is not finite.
func (f Float) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(f), 'g', -1, 64), nil
}

// band is the 5, 50 and 95% quantiles of S(t) over parameter draws, by
// period.
type band struct{ low, median, high []float64 }

// bands draws (log alpha, log beta) from the normal distribution with the
// estimates as mean and e.logCov as covariance and returns the quantiles of
// S(t) over the draws for t = 0..last.
func (e *estimates) bands(last, draws int, seed uint64) (band, error) {
	var chol mat.Cholesky
	if !chol.Factorize(e.logCov) {
		return band{}, fmt.Errorf("covariance of the estimates is not positive definite")
	}
	var lower mat.TriDense
	chol.LTo(&lower)
	rng := rand.New(rand.NewPCG(seed, 0x5b6))
	mu0, mu1 := math.Log(e.model.alpha), math.Log(e.model.beta)
	models := make([]sbg, draws)
	for i := range models {
		z0, z1 := rng.NormFloat64(), rng.NormFloat64()
		u0 := mu0 + lower.At(0, 0)*z0
		u1 := mu1 + lower.At(1, 0)*z0 + lower.At(1, 1)*z1
		models[i] = sbg{math.Exp(u0), math.Exp(u1)}
	}
	surv := make([]float64, draws) // S(t) of each draw, advanced period by period
	sorted := make([]float64, draws)
	b := band{low: make([]float64, last+1), median: make([]float64, last+1), high: make([]float64, last+1)}
	for t := range last + 1 {
		for i, m := range models {
			if t == 0 {
				surv[i] = 1
			} else {
				surv[i] *= m.retention(t, e.every)
			}
		}
		copy(sorted, surv)
		slices.Sort(sorted)
		b.low[t] = stat.Quantile(0.05, stat.Empirical, sorted, nil)
		b.median[t] = stat.Quantile(0.5, stat.Empirical, sorted, nil)
		b.high[t] = stat.Quantile(0.95, stat.Empirical, sorted, nil)
	}
	return b, nil
}

// result assembles a Result from the estimates, the observed data (all
// periods, training and held out) and the parameter bands, which cover the
// observed and projected periods.
func (e *estimates) result(obs observed, train int, b band) *Result {
	a, bb := e.model.alpha, e.model.beta
	va, vb, cab := e.logCov.At(0, 0), e.logCov.At(1, 1), e.logCov.At(0, 1)
	res := &Result{
		Customers:     e.customers,
		Train:         train,
		Observed:      len(obs.alive),
		Every:         e.every,
		Alpha:         a,
		Beta:          bb,
		AlphaSE:       a * math.Sqrt(va),
		BetaSE:        bb * math.Sqrt(vb),
		Corr:          cab / math.Sqrt(va*vb),
		LogLikelihood: e.ll,
		MeanChurn:     a / (a + bb),
	}
	s := e.model.survival(len(b.low)-1, e.every)
	for t := range s {
		f := Fitted{Period: t, Survival: s[t], Low: b.low[t], Median: b.median[t], High: b.high[t], Retention: Float(e.model.retention(t, e.every))}
		if t >= res.Observed {
			res.Projection = append(res.Projection, f)
			continue
		}
		res.Periods = append(res.Periods, Row{
			Fitted:            f,
			Holdout:           t >= train,
			Alive:             obs.alive[t],
			ObservedSurvival:  Float(obs.survival[t]),
			ObservedRetention: Float(obs.retention[t]),
		})
	}
	return res
}

// describe records where the data came from.
func (r *Result) describe(d *Data, cohort string, cohorts int) {
	r.Data, r.Format, r.Cohort, r.Cohorts = d.Name, d.Format.String(), cohort, cohorts
}

// source names the data, and the cohort when one was fitted alone.
func (r *Result) source() string {
	if r.Cohort != "" {
		return fmt.Sprintf("%s, cohort %s", r.Data, r.Cohort)
	}
	return r.Data
}

// WriteText writes a human-readable report: the estimates, a table of
// observed versus fitted survival and retention by period with held-out
// periods marked, and the projection.
func (r *Result) WriteText(w io.Writer) error {
	var b bytes.Buffer
	what := "all cohorts pooled"
	if r.Cohort != "" {
		what = fmt.Sprintf("cohort %q", r.Cohort)
	} else if r.Cohorts == 1 {
		what = "1 cohort"
	}
	fmt.Fprintf(&b, "Shifted-beta-geometric fit to %s (%s, %s, %d customers)\n", r.Data, r.Format, what, r.Customers)
	fmt.Fprintf(&b, "Training periods 0-%d (%d of %d observed)", r.Train-1, r.Train, r.Observed)
	if r.Train < r.Observed {
		fmt.Fprintf(&b, "; periods %d-%d held out", r.Train, r.Observed-1)
	}
	if r.Every > 1 {
		fmt.Fprintf(&b, ". The data are observed every %d periods of the model: period k of the data\n", r.Every)
		fmt.Fprintf(&b, "is the start of period %d*k. alpha, beta and mean churn are per period of the model;\n", r.Every)
		fmt.Fprintf(&b, "survival and retention are shown per period of the data.\n\n")
	} else {
		fmt.Fprintf(&b, ". Periods are those of the data file.\n\n")
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "alpha\t%.4f\tSE %.4f\n", r.Alpha, r.AlphaSE)
	fmt.Fprintf(tw, "beta\t%.4f\tSE %.4f\n", r.Beta, r.BetaSE)
	fmt.Fprintf(tw, "corr(alpha, beta)\t%.3f\n", r.Corr)
	fmt.Fprintf(tw, "log-likelihood\t%.2f\t(training periods)\n", r.LogLikelihood)
	fmt.Fprintf(tw, "mean churn\t%.4f\tper period, alpha/(alpha+beta)\n", r.MeanChurn)
	tw.Flush()

	fmt.Fprintf(&b, "\nObserved and fitted by period. alive: customers seen active at the start of the\n")
	fmt.Fprintf(&b, "period; S: survival, the share still active then (observed: Kaplan-Meier); 5%%,\n")
	fmt.Fprintf(&b, "95%%: range of fitted S over %d parameter draws; r: retention, the share of\n", r.Draws)
	fmt.Fprintf(&b, "the previous period's customers still active.\n\n")
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "period\tset\talive\tobserved S\tfitted S\t5%%\t95%%\tobserved r\tfitted r\t\n")
	for _, p := range r.Periods {
		set := "train"
		if p.Holdout {
			set = "holdout"
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%.4f\t%.4f\t%.4f\t%s\t%s\t\n", p.Period, set, p.Alive,
			cell(p.ObservedSurvival), p.Survival, p.Low, p.High, cell(p.ObservedRetention), cell(p.Retention))
	}
	tw.Flush()

	if len(r.Projection) > 0 {
		fmt.Fprintf(&b, "\nProjection (fitted survival with its 5/50/95%% quantiles over parameter draws):\n\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "period\tfitted S\t5%%\t50%%\t95%%\tfitted r\t\n")
		for _, p := range r.Projection {
			fmt.Fprintf(tw, "%d\t%.4f\t%.4f\t%.4f\t%.4f\t%s\t\n", p.Period, p.Survival, p.Low, p.Median, p.High, cell(p.Retention))
		}
		tw.Flush()
	}
	_, err := w.Write(b.Bytes())
	return err
}

// cell formats a share for a table, "-" when it is not defined.
func cell(f Float) string {
	if math.IsNaN(float64(f)) {
		return "-"
	}
	return strconv.FormatFloat(float64(f), 'f', 4, 64)
}
