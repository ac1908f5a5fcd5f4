// Package experiment runs designed experiments over any number of a
// scenario's parameters and estimates global sensitivity.
//
// A Design is a set of points in the space of its Factors: a full
// factorial grid (explicit values, or steps with linear or log spacing), a
// Latin hypercube (LatinHypercubeSample), or the Saltelli sample for Sobol
// indices (SaltelliSample, on a scrambled SobolSequence with the direction
// numbers of Joe and Kuo 2008). A design file (ReadSpec) names a scenario,
// a design, outcomes, replications and a seed; Spec.Plan lays it out over
// the loaded scenario, completing each parameter's range from the
// scenario's uncertain: distribution or the parameter's allowed range.
//
// Running is in two steps, so that the points can be evaluated apart (in
// parts, in other processes) and the outputs still come out the same, byte
// for byte: Plan.Evaluate simulates a given subset of the points, each
// with all its replications on the scenario's seed (common random
// numbers), and returns a PointResult per point; Plan.Summarize turns the
// results of every point, in any order, into a Result: per-point
// summaries and, for a Saltelli design, SobolIndices of each outcome's
// mean (first-order, Saltelli et al. 2010; total, Jansen 1999; with 95%
// bootstrap intervals). WritePointResults and ReadPointResults carry
// point results between processes exactly, in the format of
// replications.csv. Files are its data files:
//
//   - experiment.csv: one row per point and outcome: point, the point's
//     value of each factor (a column named by its key), outcome, unit, n
//     (replications that measured the outcome), mean, sd, p05, p50, p95;
//   - replications.csv (on request): point, the factors' values,
//     replication, outcome, value;
//   - sobol.csv (Saltelli designs): outcome, unit, parameter, s1, s1_low,
//     s1_high, st, st_low, st_high (95% bootstrap percentile intervals),
//     variance (of the outcome's mean over the design's A and B points),
//     samples (base points), resamples.
//
// NA marks an undefined number.
package experiment
