package sim

import (
	"encoding/json"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Stat summarises one quantity across replications: mean, sample standard
// deviation and the 5%, 50% and 95% quantiles (linear interpolation,
// gonum stat.LinInterp). NaN marks a quantity no replication could measure;
// in JSON it is null.
type Stat struct {
	Mean, SD, P05, P50, P95 float64
}

// StatOf summarises xs, ignoring NaN values; with none left every field is NaN.
func StatOf(xs []float64) Stat {
	v := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		n := math.NaN()
		return Stat{n, n, n, n, n}
	}
	slices.Sort(v)
	s := Stat{Mean: stat.Mean(v, nil), SD: 0}
	if len(v) > 1 {
		s.SD = stat.StdDev(v, nil)
	}
	s.P05 = stat.Quantile(0.05, stat.LinInterp, v, nil)
	s.P50 = stat.Quantile(0.50, stat.LinInterp, v, nil)
	s.P95 = stat.Quantile(0.95, stat.LinInterp, v, nil)
	return s
}

// MarshalJSON writes NaN and infinities as null.
func (s Stat) MarshalJSON() ([]byte, error) {
	f := func(x float64) *float64 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return &x
	}
	return json.Marshal(struct {
		Mean *float64 `json:"mean"`
		SD   *float64 `json:"sd"`
		P05  *float64 `json:"p05"`
		P50  *float64 `json:"p50"`
		P95  *float64 `json:"p95"`
	}{f(s.Mean), f(s.SD), f(s.P05), f(s.P50), f(s.P95)})
}

// MetricSeries is one metric's Stat in every period.
type MetricSeries struct {
	Metric  Metric
	Periods []Stat
}

// CohortSeries is one (cohort, channel) cell's survival and value by age.
type CohortSeries struct {
	Cohort    int
	Channel   Channel
	Customers Stat // customers who joined the cell
	// Survival[a]: share of the cell's customers active at age a, among
	// those whose age a falls within the horizon.
	Survival []Stat
	// Value[a]: lifetime value to age a per customer, discounted to the
	// join period: sum over k <= a of margin at age k per exposed customer
	// times (1+d)^-k.
	Value []Stat
}

// Totals are a scenario's horizon totals across replications.
type Totals struct {
	CumulativeProfit           Stat `json:"cumulative_profit"`
	CumulativeDiscountedProfit Stat `json:"cumulative_discounted_profit"`
	FinalActive                Stat `json:"final_active"`
	FinalNPS                   Stat `json:"final_nps"`
	// CLV is the discounted margin earned within the horizon per acquired
	// (not initial) customer, each discounted to its join period.
	CLV Stat `json:"clv_per_acquired"`
	// Payback is the CAC payback period: the fewest periods after joining
	// by which the mean undiscounted margin of a paid or discount customer
	// covers market.cac. Replications where that never happens within the
	// horizon are left out and counted in PaybackNever (a share).
	Payback      Stat    `json:"cac_payback_periods"`
	PaybackNever float64 `json:"cac_payback_never_share"`
}

// Summary is the collector's account of one scenario.
type Summary struct {
	Scenario     string
	Config       Config
	Replications int
	Metrics      []MetricSeries // indexed by Metric
	Cohorts      []CohortSeries // cells with at least one customer, by cohort then channel
	Totals       Totals
}

// Series returns the per-period Stats of metric m.
func (s *Summary) Series(m Metric) []Stat { return s.Metrics[m].Periods }

// Summarize aggregates every replication of r, period by period, across
// replications. It reads r in replication order, so the result does not
// depend on how replications were scheduled.
func Summarize(r *Result) *Summary {
	cfg := r.Config
	T := cfg.Horizon.Periods
	n := len(r.Reps)
	s := &Summary{Scenario: r.Scenario, Config: cfg, Replications: n, Metrics: make([]MetricSeries, NumMetrics)}
	buf := make([]float64, n)
	for m := Metric(0); m < NumMetrics; m++ {
		s.Metrics[m] = MetricSeries{Metric: m, Periods: make([]Stat, T)}
		for t := 0; t < T; t++ {
			for i := range r.Reps {
				buf[i] = r.Reps[i].Series[t][m]
			}
			s.Metrics[m].Periods[t] = StatOf(buf)
		}
	}
	v := 1 / (1 + PeriodRate(cfg))
	if n > 0 {
		ct := &r.Reps[0].Cohorts
		for cohort := 0; cohort < ct.Cohorts; cohort++ {
			for ch := Channel(0); ch < NumChannels; ch++ {
				if cs, ok := summarizeCell(r, cohort, ch, v, buf); ok {
					s.Cohorts = append(s.Cohorts, cs)
				}
			}
		}
	}
	s.Totals = totals(r)
	return s
}

func summarizeCell(r *Result, cohort int, ch Channel, v float64, buf []float64) (CohortSeries, bool) {
	ages := r.Reps[0].Cohorts.Ages
	cell := r.Reps[0].Cohorts.cell(cohort, ch)
	any := false
	for i := range r.Reps {
		buf[i] = r.Reps[i].Cohorts.Joined[cell]
		any = any || buf[i] > 0
	}
	if !any {
		return CohortSeries{}, false
	}
	cs := CohortSeries{Cohort: cohort, Channel: ch, Customers: StatOf(buf), Survival: make([]Stat, ages), Value: make([]Stat, ages)}
	value := make([]float64, len(r.Reps))
	for a := 0; a < ages; a++ {
		for i := range r.Reps {
			ct := &r.Reps[i].Cohorts
			k := cell*ages + a
			if ct.Exposed[k] == 0 {
				buf[i] = math.NaN()
				value[i] = math.NaN()
				continue
			}
			buf[i] = ct.Alive[k] / ct.Exposed[k]
			value[i] += ct.Margin[k] / ct.Exposed[k] * math.Pow(v, float64(a))
		}
		cs.Survival[a] = StatOf(buf)
		cs.Value[a] = StatOf(value)
	}
	return cs, true
}

// Outcomes are one replication's horizon values.
type Outcomes struct {
	CumulativeProfit           float64
	CumulativeDiscountedProfit float64
	FinalActive                float64 // active after the last period's churn
	FinalNPS                   float64
	CLV                        float64 // discounted margin per acquired customer within the horizon; NaN if none
	Payback                    float64 // CAC payback in periods; NaN if never within the horizon or no paid customers
}

// Outcomes returns replication i's horizon values.
func (r *Result) Outcomes(i int) Outcomes {
	rep := &r.Reps[i]
	row := rep.Series[len(rep.Series)-1]
	return Outcomes{
		CumulativeProfit:           row[CumulativeProfit],
		CumulativeDiscountedProfit: row[CumulativeDiscountedProfit],
		FinalActive:                row[Active] - row[Churned],
		FinalNPS:                   row[NPS],
		CLV:                        acquiredCLV(&rep.Cohorts, 1/(1+PeriodRate(r.Config))),
		Payback:                    paybackPeriods(&rep.Cohorts, r.Config.Market.CAC),
	}
}

func totals(r *Result) Totals {
	n := len(r.Reps)
	cum, disc, active, nps, clv, payback := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	never := 0
	for i := range r.Reps {
		o := r.Outcomes(i)
		cum[i], disc[i], active[i], nps[i], clv[i], payback[i] = o.CumulativeProfit, o.CumulativeDiscountedProfit, o.FinalActive, o.FinalNPS, o.CLV, o.Payback
		if math.IsNaN(o.Payback) && r.Reps[i].Cohorts.joined(ChannelPaid, ChannelDiscount) > 0 {
			never++
		}
	}
	t := Totals{
		CumulativeProfit: StatOf(cum), CumulativeDiscountedProfit: StatOf(disc),
		FinalActive: StatOf(active), FinalNPS: StatOf(nps), CLV: StatOf(clv), Payback: StatOf(payback),
	}
	if n > 0 {
		t.PaybackNever = float64(never) / float64(n)
	}
	return t
}

// joined counts the customers of the given channels over all cohorts.
func (c *CohortTable) joined(chs ...Channel) float64 {
	total := 0.0
	for cohort := 0; cohort < c.Cohorts; cohort++ {
		for _, ch := range chs {
			total += c.Joined[c.cell(cohort, ch)]
		}
	}
	return total
}

// acquiredCLV is the discounted margin per acquired customer within the
// horizon; NaN when nobody was acquired.
func acquiredCLV(c *CohortTable, v float64) float64 {
	acquired := []Channel{ChannelPaid, ChannelDiscount, ChannelReferral}
	n := c.joined(acquired...)
	if n == 0 {
		return math.NaN()
	}
	total := 0.0
	for cohort := 0; cohort < c.Cohorts; cohort++ {
		for _, ch := range acquired {
			base := c.cell(cohort, ch) * c.Ages
			w := 1.0
			for a := 0; a < c.Ages; a++ {
				total += c.Margin[base+a] * w
				w *= v
			}
		}
	}
	return total / n
}

// paybackPeriods is the fewest periods after which the mean cumulative
// margin of a paid or discount customer reaches cac; NaN if it never does
// within the horizon or there are no such customers.
func paybackPeriods(c *CohortTable, cac float64) float64 {
	cum := 0.0
	for a := 0; a < c.Ages; a++ {
		margin, exposed := 0.0, 0.0
		for cohort := 0; cohort < c.Cohorts; cohort++ {
			for _, ch := range []Channel{ChannelPaid, ChannelDiscount} {
				k := c.cell(cohort, ch)*c.Ages + a
				margin += c.Margin[k]
				exposed += c.Exposed[k]
			}
		}
		if exposed == 0 {
			return math.NaN()
		}
		cum += margin / exposed
		if cum >= cac {
			return float64(a + 1)
		}
	}
	return math.NaN()
}

// PeriodRate converts the annual discount rate to the per-period rate
// d = (1 + annual)^(1/periods_per_year) - 1.
func PeriodRate(cfg Config) float64 {
	return math.Pow(1+cfg.Economics.DiscountRate, 1/float64(cfg.Horizon.PeriodsPerYear)) - 1
}
