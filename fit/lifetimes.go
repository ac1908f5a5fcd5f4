package fit

import "math"

// Lifetimes counts customers by duration, the number of whole periods they
// completed, and by whether they churned or were still active when
// observation ended. Both slices have one entry per period 0..Last().
type Lifetimes struct {
	// Churned[t] is the number of customers who completed t periods and then
	// churned (active in periods 0..t-1, gone in period t). Churned[0] is 0.
	Churned []int64 `json:"churned"`
	// Censored[t] is the number of customers active at the start of period t
	// when observation ended.
	Censored []int64 `json:"censored"`
}

// newLifetimes returns empty Lifetimes covering periods 0..last.
func newLifetimes(last int) Lifetimes {
	return Lifetimes{Churned: make([]int64, last+1), Censored: make([]int64, last+1)}
}

// Last is the last period covered, the longest duration counted; -1 when l
// is empty.
func (l Lifetimes) Last() int { return len(l.Churned) - 1 }

// Customers is the number of customers counted.
func (l Lifetimes) Customers() int64 {
	var n int64
	for t := range l.Churned {
		n += l.Churned[t] + l.Censored[t]
	}
	return n
}

// grow extends l to cover periods 0..last.
func (l *Lifetimes) grow(last int) {
	if n := last - l.Last(); n > 0 {
		l.Churned = append(l.Churned, make([]int64, n)...)
		l.Censored = append(l.Censored, make([]int64, n)...)
	}
}

// add adds the counts of o to l.
func (l *Lifetimes) add(o Lifetimes) {
	l.grow(o.Last())
	for t := range o.Churned {
		l.Churned[t] += o.Churned[t]
		l.Censored[t] += o.Censored[t]
	}
}

// Truncate returns l as it would have been observed had observation ended at
// the start of period last (last >= 0): customers with longer durations are
// censored at last, whether or not they churned later.
func (l Lifetimes) Truncate(last int) Lifetimes {
	out := newLifetimes(min(last, l.Last()))
	copy(out.Churned, l.Churned)
	copy(out.Censored, l.Censored)
	for t := last + 1; t <= l.Last(); t++ {
		out.Censored[last] += l.Churned[t] + l.Censored[t]
	}
	return out
}

// observed is the nonparametric (Kaplan-Meier) view of l, period by period.
type observed struct {
	alive     []int64   // customers seen active at the start of period t
	survival  []float64 // Kaplan-Meier estimate of S(t); NaN once no one is at risk
	retention []float64 // share of those at risk of churning at the end of period t-1 who stayed; NaN at t = 0 or with no one at risk
}

// observe computes the Kaplan-Meier survival and the observed retention of l.
// The customers at risk at renewal t are those with duration >= t: they were
// active in period t-1 and observed through its end.
func (l Lifetimes) observe() observed {
	n := l.Last() + 1
	o := observed{alive: make([]int64, n), survival: make([]float64, n), retention: make([]float64, n)}
	var tail int64 // customers with duration >= t
	atRisk := make([]int64, n)
	for t := n - 1; t >= 0; t-- {
		tail += l.Churned[t] + l.Censored[t]
		atRisk[t] = tail
		o.alive[t] = tail - l.Churned[t]
	}
	s := 1.0
	o.retention[0] = math.NaN()
	if atRisk[0] == 0 {
		s = math.NaN()
	}
	o.survival[0] = s
	for t := 1; t < n; t++ {
		r := math.NaN()
		if atRisk[t] > 0 {
			r = 1 - float64(l.Churned[t])/float64(atRisk[t])
		}
		s *= r
		o.survival[t] = s
		o.retention[t] = r
	}
	return o
}
