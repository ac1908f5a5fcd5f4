package fit

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// sbg is the shifted-beta-geometric model: churn probability per period
// theta ~ Beta(alpha, beta), alpha > 0, beta > 0.
type sbg struct{ alpha, beta float64 }

// logSurvival is log S(t) = log B(alpha, beta+t) - log B(alpha, beta), the log
// probability of completing t >= 0 periods.
func (m sbg) logSurvival(t int) float64 {
	return mathext.Lbeta(m.alpha, m.beta+float64(t)) - mathext.Lbeta(m.alpha, m.beta)
}

// logChurn is log P(T = t) = log B(alpha+1, beta+t-1) - log B(alpha, beta),
// the log probability of churning after exactly t >= 1 periods.
func (m sbg) logChurn(t int) float64 {
	return mathext.Lbeta(m.alpha+1, m.beta+float64(t)-1) - mathext.Lbeta(m.alpha, m.beta)
}

// gradSurvival is the gradient of logSurvival(t) with respect to
// (log alpha, log beta).
func (m sbg) gradSurvival(t int) (da, db float64) {
	a, b, tt := m.alpha, m.beta, float64(t)
	common := mathext.Digamma(a+b) - mathext.Digamma(a+b+tt)
	return a * common, b * (mathext.Digamma(b+tt) - mathext.Digamma(b) + common)
}

// gradChurn is the gradient of logChurn(t) with respect to
// (log alpha, log beta).
func (m sbg) gradChurn(t int) (da, db float64) {
	a, b, tt := m.alpha, m.beta, float64(t)
	common := mathext.Digamma(a+b) - mathext.Digamma(a+b+tt)
	return 1 + a*common, b * (mathext.Digamma(b+tt-1) - mathext.Digamma(b) + common)
}

// logLikelihood is the log-likelihood of l under m and its gradient with
// respect to (log alpha, log beta): churned customers contribute
// log P(T = t), censored ones log S(t).
func (m sbg) logLikelihood(l Lifetimes) (ll float64, grad [2]float64) {
	for t := range l.Churned {
		if n := float64(l.Churned[t]); n > 0 {
			da, db := m.gradChurn(t)
			ll += n * m.logChurn(t)
			grad[0] += n * da
			grad[1] += n * db
		}
		if n := float64(l.Censored[t]); n > 0 {
			da, db := m.gradSurvival(t)
			ll += n * m.logSurvival(t)
			grad[0] += n * da
			grad[1] += n * db
		}
	}
	return ll, grad
}

// survival returns S(t) for t = 0..last, computed as the product of the
// retention rates r(1)..r(t), which equals B(alpha, beta+t) / B(alpha, beta).
func (m sbg) survival(last int) []float64 {
	s := make([]float64, last+1)
	s[0] = 1
	for t := 1; t <= last; t++ {
		s[t] = s[t-1] * m.retention(t)
	}
	return s
}

// retention is r(t) = (beta+t-1) / (alpha+beta+t-1), the probability that a
// customer active in period t-1 is active in period t, t >= 1; NaN at t = 0.
func (m sbg) retention(t int) float64 {
	if t < 1 {
		return math.NaN()
	}
	tt := float64(t)
	return (m.beta + tt - 1) / (m.alpha + m.beta + tt - 1)
}
