// Package compare turns simulated scenarios into decisions: paired
// comparisons against a reference on common random numbers, the period in
// which one policy's cumulative profit overtakes another's for good, sweeps
// of parameters over a grid, one-at-a-time sensitivity (tornado), the split
// of a paired difference among the levers that make it (Decompose) and runs
// grown until an interval is as narrow as asked.
//
// # Pairing
//
// Every scenario run with the same seed uses the same random numbers
// wherever the policies do not differ (MODEL.md, "Randomness: common random
// numbers by design"), so replication i of one scenario is paired with
// replication i of another and every comparison here is made on the
// per-replication differences. Intervals are Student t intervals on the mean
// of those differences with n-1 degrees of freedom, n the number of pairs in
// which both values are defined (NaN values are excluded pairwise). With
// different seeds the pairs are independent and the same formulas still
// hold; they are only wider.
//
// # Streaming
//
// RunStudy runs scenarios in lockstep (sim.Stream): replication i of every
// scenario is handed over together, folded into each scenario's
// sim.Collector and into a Comparer's paired statistics, and dropped, so a
// study's memory does not grow with the replications. Sweep keeps only its
// outcomes' aggregates in the same way; Sensitivity keeps one number per
// replication of each configuration, its outcome.
//
// A StudyRun (and a Sweeper) can grow: Extend simulates only the
// replications it does not have yet (sim.StreamRange) and folds them into
// the same aggregates, so a run grown to n replications in any steps, as
// ToPrecision grows one, ends with the outputs of one run of n, bit for
// bit, each replication simulated once. Quantiles are read only when the
// run ends (StudyRun.Study, Sweeper.Result): reading them sorts an
// accumulator's exact values and merges its t-digest's buffer, which would
// change what later replications make of it.
// Simulate and Compare do the same from kept replications, for callers that
// want them.
//
// # Files
//
// The writers take an io.Writer; numbers are written in the shortest form
// that reads back exactly, NA for undefined values (no pair, or fewer than
// two for an interval) and +Inf for an infinite variance reduction. In JSON
// both undefined and infinite values are null.
// Text cells (names, units, notes) that start with '=', '+', '-', '@', a
// tab or a carriage return get a leading single quote (output.Cell), so that
// a spreadsheet does not run them as formulas; numbers are never quoted.
//
// comparison.csv (WriteComparisonCSV), one row per scenario and outcome:
//
//	reference           name of the reference scenario (the first)
//	scenario            name of the scenario compared with it
//	outcome             outcome name (see Outcomes)
//	unit                the outcome's unit
//	n                   replications in which both values are defined
//	reference_mean      mean of the reference's outcome over those replications
//	scenario_mean       mean of the scenario's outcome over those replications
//	mean_diff           mean of scenario - reference
//	sd_diff             sample standard deviation of scenario - reference
//	ci90_low, ci90_high 90% t interval of mean_diff
//	ci95_low, ci95_high 95% t interval of mean_diff
//	p_beats             share of replications with scenario - reference > 0
//	p_ties              share with scenario - reference = 0 (ties do not beat)
//	variance_reduction  (var(reference) + var(scenario)) / var(scenario - reference):
//	                    how many times narrower, in variance, pairing made the
//	                    comparison than two independent runs would have
//
// crossover.csv (WriteCrossoverCSV), one row per scenario and metric
// (cumulative_discounted_profit, cumulative_profit): the first period from
// which the scenario's metric stays strictly above the reference's through
// the horizon (0 when it is ahead from the start):
//
//	reference, scenario, metric
//	n                   replications
//	never_share         share of replications where that does not happen
//	                    within the horizon
//	mean, p05, median, p95
//	                    crossover period (periods from 0) over the replications
//	                    where it happens; p05 to p95 is the 90% range
//
// comparison_series.csv (WriteSeriesCSV), one row per scenario, metric and
// period: the paired difference scenario - reference of the metric in that
// period, for a chart:
//
//	reference, scenario, metric, period
//	mean_diff, sd_diff, p05, p50, p95   across replications
//	ci95_low, ci95_high                 95% t interval of mean_diff
//
// comparison.json (WriteComparisonJSON) holds a Comparison: the same
// numbers as the three files above.
//
// sweep.csv (WriteSweepCSV), one row per grid point and outcome:
//
//	point               index of the point, first axis varying slowest
//	<key> ...           one column per axis, named by its parameter key: the
//	                    parameter's value at the point
//	outcome, unit
//	n                   replications in which the outcome is defined
//	mean, sd, p05, p50, p95
//	                    the outcome across replications
//
// and, for a sweep against a reference (sweep --against), six more:
//
//	reference           name of the reference scenario
//	mean_diff           mean of point - reference, replication by replication
//	                    on common random numbers, over the n_diff pairs
//	ci95_low, ci95_high 95% t interval of mean_diff
//	p_beats             share of pairs with point - reference > 0
//	n_diff              replications in which both values are defined
//
// sensitivity.csv (WriteSensitivityCSV), two rows (end low and high) per
// parameter in tornado order, then one row (end none) per skipped parameter:
//
//	rank                1 for the largest swing; NA when skipped
//	key, unit           the parameter
//	end                 low, high or none
//	base_value          the parameter's value in the base configuration
//	value               its value at this end; NA when skipped
//	outcome, outcome_unit
//	n                   replications in which the outcome is defined at both
//	                    the base and this end: the bar's replications
//	                    unless the outcome is undefined in some
//	mean_diff           mean of outcome(end) - outcome(base), paired by replication
//	ci95_low, ci95_high 95% t interval of mean_diff
//	swing               |mean_diff(high) - mean_diff(low)|, the bar's length
//	note                how the ends were adjusted (rounded, clipped to the
//	                    allowed range or to a related parameter) or which
//	                    distribution they come from; why the parameter was
//	                    skipped
//	basis               where the ends come from: uncertain (5% and 95%
//	                    quantiles of the scenario's distribution), allowed
//	                    (the natural ends of the allowed range, as a
//	                    probability's 0 and 1) or step (base value -+ 20%);
//	                    empty when skipped
//	swing_ci95_low, swing_ci95_high
//	                    95% t interval of the swing, from outcome(high) -
//	                    outcome(low) paired by replication; an adaptive
//	                    analysis stops when the first parameters' intervals
//	                    are apart (see SensitivityAdaptive). With one
//	                    replication, the assumed interval swing -+ 1.96 x
//	                    the largest per-replication swing standard
//	                    deviation among the bars with more (an adaptive
//	                    analysis's bars screened out at its first look)
//	replications        replications of the bar's ends (0 when skipped):
//	                    the same for every bar of a fixed analysis; an
//	                    adaptive one stops each bar once its place is
//	                    settled
//	screened            true when an adaptive analysis stopped the bar below
//	                    its top (--top) with fewer replications than the
//	                    most, apart from or tied with each of the top bars
//	                    (see Tornado.Unsettled)
//
// decomposition.csv (WriteDecompositionCSV), per outcome one row per group
// of parameters, then a row for the total (see Decomposer for the Shapley
// values):
//
//	reference, scenario
//	outcome, unit
//	group               the group's name (e.g. policy.giving, taking, or
//	                    policy.giving+taking as chosen), or total
//	parameters          the group's parameters that differ between the
//	                    reference and the scenario, separated by ";" (every
//	                    one of them on the total row)
//	n                   replications in which the outcome is defined in
//	                    every configuration
//	mean                mean over those replications of the group's Shapley
//	                    value (on the total row: of scenario - reference);
//	                    the groups' means add up to the total's
//	sd                  sample standard deviation of the per-replication values
//	ci95_low, ci95_high 95% t interval of mean
//
// # Assumptions
//
// A scenario's uncertain parameters (sim.Config.Uncertain) are drawn per
// replication, each from a stream of its own, so scenarios that share one
// draw the same values (common random numbers still hold) and adding one
// leaves the others' draws alone. RunStudy then also runs every scenario
// with them held at their central values, on the same seeds, and keeps the
// draws and outcomes by replication (Assumptions), for these files:
//
// uncertainty.csv (WriteUncertaintyCSV), for one scenario its outcomes, for
// several each scenario's paired differences from the reference; two rows
// each:
//
//	scenario, reference  reference empty for a scenario's own outcome
//	outcome, unit
//	assumptions          drawn (each replication its own values: assumption
//	                     uncertainty and Monte Carlo noise) or central (held at
//	                     their central values: Monte Carlo noise only)
//	n, mean, sd          over the replications
//	p05, p95             5th and 95th percentiles of replications: the range
//	                     of worlds, not of the mean
//	ci95_low, ci95_high  95% t interval of the mean
//	p_beats              for a difference, share of replications with
//	                     scenario - reference > 0; NA otherwise
//
// assumptions.csv (WriteAssumptionsCSV): scenario, replication, parameter,
// value: every value drawn.
//
// drivers.csv (WriteDriversCSV), the assumptions ranked by what they drive
// of the study's --outcome (its paired difference with several scenarios):
//
//	rank                 within the scenario, 1 the largest rho_squared
//	scenario, reference, outcome
//	parameter, dist      the uncertain parameter and its distribution
//	spearman_rho         Spearman rank correlation between its draws and the
//	                     outcome across replications
//	rho_squared          the share of the outcome's rank variance it alone
//	                     explains
//	share                rho_squared over the sum of every assumption's: its
//	                     part of what they explain, if they act independently
//
// flip.csv (WriteFlipCSV, see FindFlip), one row per scenario and parameter
// searched:
//
//	reference, scenario, outcome, parameter
//	central              the value the verdict is read at (the distribution's
//	                     central value, or the reference's value)
//	mean_diff_at_central mean paired difference scenario - reference there
//	search_low, search_high
//	                     the values searched
//	flips                true when the mean difference changes sign within them
//	flip_value           where it crosses zero (NA when it does not flip)
//	flip_low, flip_high  where the bounds of its 95% interval cross zero (NA
//	                     where a bound does not cross within the range)
//	evaluations          paired runs made by the bisection
package compare
