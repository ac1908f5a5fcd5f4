package sim

// Replication is what one simulated world leaves behind: per-period metrics
// and cohort tables. It holds aggregates only, never per-customer history.
type Replication struct {
	// Series[t][m] is metric m in period t.
	Series [][NumMetrics]float64
	// Cohorts is survival and margin by acquisition cohort, channel and age.
	Cohorts CohortTable
	// Equity is customer equity at the horizon: the expected discounted
	// margin after the horizon of the customers active at its end,
	// discounted to period 0 like cumulative discounted profit (see
	// horizonValue), in currency.
	Equity float64
	// Segments is the account by segment (M13), empty when the scenario
	// declares no segments.
	Segments SegmentTable
	// Assumptions are the values this replication drew for the
	// configuration's uncertain parameters, in the order of
	// Config.Uncertain; empty when none is uncertain.
	Assumptions []float64
}

// CohortTable aggregates customers by yearly acquisition cohort (cohort k
// joined in periods [k*periods_per_year, (k+1)*periods_per_year)), channel and
// age in periods since joining. Customers of the initial population are
// cohort 0, channel "initial".
type CohortTable struct {
	Cohorts, Ages int
	// Joined[i] counts the customers of cell i = cohort*NumChannels + channel.
	Joined []float64
	// Exposed[i*Ages+a] counts customers of cell i who reached age a within
	// the horizon, alive or not: the denominator of survival at age a.
	Exposed []float64
	// Alive[i*Ages+a] counts customers of cell i active at age a.
	Alive []float64
	// Margin[i*Ages+a] is the margin (revenue less variable, service,
	// frontline staff, incident and gesture costs) earned by cell i's customers at age a.
	Margin []float64
	// Residual[i] is the expected margin after the horizon of cell i's
	// customers active at its end, each discounted to its join period (see
	// horizonValue): what their lives beyond the horizon add to the cell's
	// lifetime value.
	Residual []float64
}

func newCohortTable(cohorts, ages int) CohortTable {
	cells := cohorts * int(NumChannels)
	return CohortTable{
		Cohorts: cohorts, Ages: ages,
		Joined:   make([]float64, cells),
		Exposed:  make([]float64, cells*ages),
		Alive:    make([]float64, cells*ages),
		Margin:   make([]float64, cells*ages),
		Residual: make([]float64, cells),
	}
}

// cell is the index of (cohort, channel) in Joined.
func (c *CohortTable) cell(cohort int, ch Channel) int { return cohort*int(NumChannels) + int(ch) }

// Result is every replication of one scenario, in replication order.
type Result struct {
	Scenario string
	Config   Config
	Reps     []Replication
}

// Value returns metric m in period t for each replication, in replication order.
func (r *Result) Value(m Metric, t int) []float64 {
	out := make([]float64, len(r.Reps))
	for i := range r.Reps {
		out[i] = r.Reps[i].Series[t][m]
	}
	return out
}
