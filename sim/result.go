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

// CohortTable aggregates customers by acquisition cohort (cohort k joined
// in periods [k*Span, (k+1)*Span), see CohortPeriods), channel and age in
// periods since joining. Customers of the initial population are cohort 0,
// channel "initial". It holds O(MaxCohorts x periods) numbers: linear in
// the horizon.
type CohortTable struct {
	Cohorts, Ages int
	Span          int // periods per cohort (see CohortPeriods)
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

// MaxCohorts is the most acquisition cohorts a cohort table holds: cohorts
// are yearly while the horizon spans at most MaxCohorts years, and beyond
// that each spans the fewest whole years that keep them within MaxCohorts,
// so that cohort tables, and the collector's statistics of them, grow
// linearly with the horizon rather than with its square.
const MaxCohorts = 10

// CohortPeriods is the number of periods each acquisition cohort of a
// horizon h spans: periods_per_year times ceil(years / MaxCohorts), with
// years = ceil(periods / periods_per_year).
func CohortPeriods(h Horizon) int {
	ppy := max(h.PeriodsPerYear, 1)
	years := (h.Periods + ppy - 1) / ppy
	return ppy * max(1, (years+MaxCohorts-1)/MaxCohorts)
}

// newCohortTable is the empty cohort table of a horizon h: its cohorts
// (see CohortPeriods) and ages 0 to periods-1.
func newCohortTable(h Horizon) CohortTable {
	span := CohortPeriods(h)
	cohorts, ages := (h.Periods+span-1)/span, h.Periods
	cells := cohorts * int(NumChannels)
	return CohortTable{
		Cohorts: cohorts, Ages: ages, Span: span,
		Joined:   make([]float64, cells),
		Exposed:  make([]float64, cells*ages),
		Alive:    make([]float64, cells*ages),
		Margin:   make([]float64, cells*ages),
		Residual: make([]float64, cells),
	}
}

// cell is the index of (cohort, channel) in Joined.
func (c *CohortTable) cell(cohort int, ch Channel) int { return cohort*int(NumChannels) + int(ch) }

// closeExposed turns Exposed, which join fills with each cell's joiners
// at the last age they reach within the horizon, into the joiners who
// reach each age: sums from the last age down, in O(Ages) a cell.
func (c *CohortTable) closeExposed() {
	for row := 0; row < len(c.Exposed); row += c.Ages {
		for k := row + c.Ages - 2; k >= row; k-- {
			c.Exposed[k] += c.Exposed[k+1]
		}
	}
}

// joinCell is the index in Joined of the cell of customers of channel ch
// who joined in period join.
func (c *CohortTable) joinCell(join int, ch Channel) int { return c.cell(join/c.Span, ch) }

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
