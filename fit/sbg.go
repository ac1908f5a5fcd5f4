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

// gradSurvival is the gradient of logSurvival(t) with respect to
// (log alpha, log beta).
func (m sbg) gradSurvival(t int) (da, db float64) {
	a, b, tt := m.alpha, m.beta, float64(t)
	common := mathext.Digamma(a+b) - mathext.Digamma(a+b+tt)
	return a * common, b * (mathext.Digamma(b+tt) - mathext.Digamma(b) + common)
}

// logStay is log S(b)/S(a) = log r(a+1) + ... + log r(b), the log
// probability that a customer who completed a periods completes b,
// 0 <= a <= b, with its gradient with respect to (log alpha, log beta).
// Summing log1p(-alpha/(alpha+beta+t-1)) keeps it accurate when churn is
// rare.
func (m sbg) logStay(a, b int) (ls, da, db float64) {
	for t := a + 1; t <= b; t++ {
		n := m.alpha + m.beta + float64(t) - 1 // alpha+beta+t-1
		ls += math.Log1p(-m.alpha / n)
		da -= m.alpha / n
		db += m.beta/(m.beta+float64(t)-1) - m.beta/n
	}
	return ls, da, db
}

// logLost is log(S(a) - S(b)), the log probability of completing a periods
// but not b, 0 <= a < b, with its gradient with respect to
// (log alpha, log beta). With b = a+1 it is log P(T = b).
func (m sbg) logLost(a, b int) (ll, da, db float64) {
	ls, sa, sb := m.logStay(a, b)
	ga, gb := m.gradSurvival(a)
	// log(S(a) - S(b)) = log S(a) + log(1 - e^ls); d log(1 - e^ls) =
	// -d ls / (e^-ls - 1).
	k := -1 / math.Expm1(-ls)
	return m.logSurvival(a) + math.Log(-math.Expm1(ls)), ga + k*sa, gb + k*sb
}

// logLikelihood is the log-likelihood of l under m, observed every `every`
// periods (every >= 1), and its gradient with respect to
// (log alpha, log beta). Duration t of l counts observations, so a customer
// who churned after t of them was lost between periods (t-1)*every and
// t*every and contributes log(S((t-1)*every) - S(t*every)); one still active
// at the t-th contributes log S(t*every) (right-censored).
func (m sbg) logLikelihood(l Lifetimes, every int) (ll float64, grad [2]float64) {
	for t := range l.Churned {
		if n := float64(l.Churned[t]); n > 0 {
			v, da, db := m.logLost((t-1)*every, t*every)
			ll += n * v
			grad[0] += n * da
			grad[1] += n * db
		}
		if n := float64(l.Censored[t]); n > 0 {
			da, db := m.gradSurvival(t * every)
			ll += n * m.logSurvival(t*every)
			grad[0] += n * da
			grad[1] += n * db
		}
	}
	return ll, grad
}

// survival returns S(k*every) for observations k = 0..last, computed as
// products of the retention rates, which equal B(alpha, beta+t) /
// B(alpha, beta).
func (m sbg) survival(last, every int) []float64 {
	s := make([]float64, last+1)
	s[0] = 1
	for k := 1; k <= last; k++ {
		s[k] = s[k-1] * m.retention(k, every)
	}
	return s
}

// retention is S(k*every) / S((k-1)*every), the probability that a customer
// active at observation k-1 is active at observation k, k >= 1; NaN at
// k = 0. With every = 1 it is r(k) = (beta+k-1) / (alpha+beta+k-1).
func (m sbg) retention(k, every int) float64 {
	if k < 1 {
		return math.NaN()
	}
	r := 1.0
	for t := (k-1)*every + 1; t <= k*every; t++ {
		tt := float64(t)
		r *= (m.beta + tt - 1) / (m.alpha + m.beta + tt - 1)
	}
	return r
}
