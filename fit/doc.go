// Package fit estimates the shifted-beta-geometric (sBG) churn model of
// Fader & Hardie (2007), "How to Project Customer Retention", from observed
// retention data, and turns the estimates into a report, a chart and a
// scenario file for the simulation engine.
//
// # Model
//
// Each customer has a constant churn probability theta ~ Beta(alpha, beta)
// per period. Periods are numbered from 0, the period of acquisition; a
// customer active in period t-1 who does not churn at its end is active in
// period t. The lifetime T is the number of periods a customer completes:
//
//	S(t)     = P(T > t) = B(alpha, beta+t) / B(alpha, beta)        t = 0, 1, ...
//	P(T = t) = B(alpha+1, beta+t-1) / B(alpha, beta)               t = 1, 2, ...
//	r(t)     = S(t) / S(t-1) = (beta+t-1) / (alpha+beta+t-1)       t = 1, 2, ...
//
// S(t) is the share of a cohort still active at the start of period t and
// r(t) the share of those active in period t-1 who are still active in
// period t (the retention rate at the t-th renewal).
//
// # Input files
//
// Read accepts two CSV layouts, told apart by the header:
//
//   - cohort survival: columns period and alive, optionally cohort. alive is
//     the number of customers of the cohort active at the start of the
//     period; each cohort's periods start at 0 and are consecutive, and its
//     counts never rise. The time column may be named year, quarter or month
//     instead of period, to say how far apart the rows are (Data.Spacing).
//   - per customer: columns duration and censored, optionally cohort. One row
//     per customer. duration is the number of whole periods the customer
//     completed. censored 0: the customer churned at the end of its
//     duration-th period (period duration-1) and so duration >= 1; it
//     contributes P(T = duration). censored 1: the customer was still active
//     at the start of period duration when observation ended; it contributes
//     S(duration).
//
// A cohort survival series alive(0..L) is the same information as alive(t-1)
// - alive(t) customers with duration t, censored 0, for t = 1..L, and alive(L)
// customers with duration L, censored 1; both layouts are stored that way, as
// Lifetimes.
//
// # Data observed every K periods
//
// With Options.Every K, the rows of a file are K periods of the model apart
// (yearly data for a monthly model: K = 12): survival is observed only at
// periods 0, K, 2K, ..., so a customer lost between observations k-1 and k
// contributes S((k-1)K) - S(kK) to the likelihood (interval-censored) and
// one still active at the last observation k contributes S(kK)
// (right-censored). The estimates then describe churn per period of the
// model, not per row.
//
// Lines starting with # are comments. Column names are matched without
// regard to case or surrounding spaces; other columns are rejected.
package fit
