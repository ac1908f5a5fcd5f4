package fit

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// DefaultDraws is the number of parameter draws behind the intervals when
// Options.Draws is 0, and MaxDraws the most allowed.
const (
	DefaultDraws = 1000
	MaxDraws     = 1000000
)

// minHeterogeneityGain is how much higher than the constant-churn
// (geometric) log-likelihood the sBG optimum must be for alpha and beta to
// count as identified.
const minHeterogeneityGain = 1e-3

// maxLogParam bounds |log alpha| and |log beta| at the optimum: beyond it the
// likelihood has no interior maximum (for example when churn is the same for
// every customer, alpha and beta grow without bound).
const maxLogParam = 15

// Options controls a fit.
type Options struct {
	// Train is the number of periods, counted from period 0, whose data enter
	// the likelihood: periods 0..Train-1. Later periods are held out:
	// customers active at the start of period Train-1 count as censored
	// there, whatever happened to them afterwards. 0 means every observed
	// period; otherwise 3 <= Train <= the number of periods observed (two
	// parameters need at least two renewals).
	Train int
	// Project is the number of periods after the last observed one for which
	// survival is projected, >= 0.
	Project int
	// Draws is the number of (alpha, beta) draws from the estimates'
	// asymptotic normal distribution (on the log scale) behind the 5/50/95%
	// intervals, from 0 to MaxDraws; 0 means DefaultDraws.
	Draws int
	// Seed seeds the PCG source of the parameter draws.
	Seed uint64
	// Every is the number of the model's periods between two observations
	// of the data, from 1 to MaxEvery; 0 means 1. With Every K, row k of a
	// cohort survival file (duration k of a per-customer file) is the start
	// of period k*K: survival is observed only at multiples of K, a
	// customer lost between observations k-1 and k contributes
	// S((k-1)K) - S(kK) (interval-censored) and one still active at the
	// last observation k contributes S(kK) (right-censored), so alpha and
	// beta describe churn per period, not per observation. Train and
	// Project count observations.
	Every int
}

// MaxEvery is the largest Options.Every: yearly rows for a daily model are
// 365 periods apart, so 1000 leaves room.
const MaxEvery = 1000

// Fit estimates alpha and beta by maximum likelihood from all cohorts of d
// pooled by age (periods since acquisition). It fails when the training
// periods cannot identify both parameters: no churn, every customer gone
// after one period, or churn with no detectable heterogeneity (a constant
// churn probability fits as well as any Beta mixture).
func Fit(d *Data, opt Options) (*Result, error) {
	res, err := fitLifetimes(d.Pooled(), opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Name, err)
	}
	res.describe(d, "", len(d.Cohorts))
	return res, nil
}

// FitCohorts fits each cohort of d on its own, in the order of d.Cohorts;
// opt applies to each, so opt.Train must not exceed the periods observed in
// any cohort.
func FitCohorts(d *Data, opt Options) ([]*Result, error) {
	out := make([]*Result, 0, len(d.Cohorts))
	for _, c := range d.Cohorts {
		res, err := fitLifetimes(c.Lifetimes, opt)
		if err != nil {
			return nil, fmt.Errorf("%s: cohort %q: %w", d.Name, c.Name, err)
		}
		res.describe(d, c.Name, 1)
		out = append(out, res)
	}
	return out, nil
}

// fitLifetimes fits the sBG model to l and assembles the result.
func fitLifetimes(l Lifetimes, opt Options) (*Result, error) {
	observed := l.Last() + 1
	every := opt.Every
	if every == 0 {
		every = 1
	}
	train := opt.Train
	if train == 0 {
		train = observed
	}
	switch {
	case observed < 3:
		return nil, fmt.Errorf("%d periods observed: two parameters need at least 3 (two renewals)", observed)
	case train < 3 || train > observed:
		return nil, fmt.Errorf("train: must be 0 (all periods) or from 3 to %d (the periods observed), got %d", observed, opt.Train)
	case opt.Project < 0 || opt.Project > MaxPeriod:
		return nil, fmt.Errorf("project: must be from 0 to %d periods, got %d", MaxPeriod, opt.Project)
	case opt.Draws < 0 || opt.Draws > MaxDraws:
		return nil, fmt.Errorf("draws: must be from 0 to %d, got %d", MaxDraws, opt.Draws)
	case every < 1 || every > MaxEvery:
		return nil, fmt.Errorf("every: must be from 1 to %d periods between observations (0: 1), got %d", MaxEvery, opt.Every)
	}
	est, err := estimate(l.Truncate(train-1), every)
	if err != nil {
		return nil, err
	}
	draws := opt.Draws
	if draws == 0 {
		draws = DefaultDraws
	}
	bands, err := est.bands(observed+opt.Project-1, draws, opt.Seed)
	if err != nil {
		return nil, err
	}
	res := est.result(l.observe(), train, bands)
	res.Draws, res.Seed = draws, opt.Seed
	return res, nil
}

// estimates is a maximum-likelihood fit: the estimates, their covariance on
// the log scale and the log-likelihood at the optimum.
type estimates struct {
	model     sbg
	every     int           // periods of the model between two observations
	logCov    *mat.SymDense // covariance of (log alpha, log beta)
	ll        float64
	customers int64
}

// estimate maximises the sBG likelihood of l, observed every `every`
// periods, over (log alpha, log beta) and takes the covariance from the
// inverse of the observed information, the finite-difference Hessian of the
// negative log-likelihood at the optimum.
func estimate(l Lifetimes, every int) (*estimates, error) {
	var churned, stayed int64 // churned ever; completed at least one period
	for t := range l.Churned {
		churned += l.Churned[t]
		if t >= 1 {
			stayed += l.Censored[t]
		}
		if t >= 2 {
			stayed += l.Churned[t]
		}
	}
	switch {
	case churned == 0:
		return nil, errors.New("no customer churned in the training periods: churn cannot be estimated")
	case stayed == 0:
		return nil, errors.New("every customer churned after the first period: alpha and beta cannot be estimated")
	}
	n := float64(l.Customers())
	at := func(u []float64) sbg { return sbg{math.Exp(u[0]), math.Exp(u[1])} }
	nll := func(u []float64) float64 {
		ll, _ := at(u).logLikelihood(l, every)
		return -ll
	}
	prob := optimize.Problem{
		// The objective is per customer, so that one gradient threshold
		// suits every sample size.
		Func: func(u []float64) float64 {
			if math.Abs(u[0]) > 2*maxLogParam || math.Abs(u[1]) > 2*maxLogParam {
				return math.Inf(1)
			}
			return nll(u) / n
		},
		Grad: func(grad, u []float64) {
			_, g := at(u).logLikelihood(l, every)
			grad[0], grad[1] = -g[0]/n, -g[1]/n
		},
	}
	start := startingPoint(l, every)
	// A line search may fail to make progress once the per-customer
	// objective is flat to rounding error; the gradient check below decides
	// whether the point reached is the maximum.
	opt, err := optimize.Minimize(prob, start, &optimize.Settings{GradientThreshold: 1e-8, MajorIterations: 1000}, &optimize.BFGS{})
	if opt == nil {
		return nil, fmt.Errorf("maximising the likelihood: %w", err)
	}
	u := opt.X
	m := at(u)
	if llGeo, p := geometricFit(l, every); -nll(u) < llGeo+minHeterogeneityGain {
		return nil, fmt.Errorf("the data show no heterogeneity in churn: a constant churn probability of %.4g per period fits as well as any Beta(alpha, beta) mixture, so alpha and beta are not identified (the likelihood keeps rising as both grow)", p)
	}
	if math.Abs(u[0]) > maxLogParam || math.Abs(u[1]) > maxLogParam {
		return nil, fmt.Errorf("the likelihood has no interior maximum (alpha -> %.3g, beta -> %.3g): the data do not identify both parameters", m.alpha, m.beta)
	}
	if g := opt.Gradient; math.Max(math.Abs(g[0]), math.Abs(g[1])) > 1e-6 {
		return nil, fmt.Errorf("maximising the likelihood did not converge (%v, %v) at alpha %.4g, beta %.4g", opt.Status, err, m.alpha, m.beta)
	}
	var h mat.SymDense
	fd.Hessian(&h, nll, u, &fd.Settings{Formula: fd.Central})
	var chol mat.Cholesky
	if !chol.Factorize(&h) {
		return nil, fmt.Errorf("the observed information is not positive definite at alpha %.4g, beta %.4g: the data do not identify both parameters", m.alpha, m.beta)
	}
	var cov mat.SymDense
	if err := chol.InverseTo(&cov); err != nil {
		return nil, fmt.Errorf("inverting the observed information: %w", err)
	}
	return &estimates{model: m, every: every, logCov: &cov, ll: -nll(u), customers: l.Customers()}, nil
}

// geometricFit is the maximum log-likelihood of l, observed every `every`
// periods, under a constant churn probability p per period for every
// customer, the limit of the sBG model as alpha and beta grow with
// alpha/(alpha+beta) = p, and that p. Between two observations a customer
// stays with probability q = (1-p)^every, whose estimate is churn events
// over observation intervals at risk.
func geometricFit(l Lifetimes, every int) (ll, p float64) {
	var events, atRisk float64
	for t := range l.Churned {
		events += float64(l.Churned[t])
		atRisk += float64(l.Churned[t]) * float64(t)
		atRisk += float64(l.Censored[t]) * float64(t)
	}
	lost := events / atRisk // 1 - q
	ll = events*math.Log(lost) + (atRisk-events)*math.Log1p(-lost)
	return ll, -math.Expm1(math.Log1p(-lost) / float64(every))
}

// startingPoint is (log alpha, log beta) with alpha = 1 and the mean churn
// alpha/(alpha+beta) equal to the constant churn per period that gives the
// churn observed at the first observation after acquisition, made every
// `every` periods.
func startingPoint(l Lifetimes, every int) []float64 {
	o := l.observe()
	churn := -math.Expm1(math.Log(o.retention[1]) / float64(every))
	churn = math.Min(math.Max(churn, 0.01), 0.99)
	return []float64{0, math.Log((1 - churn) / churn)}
}
