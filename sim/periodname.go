package sim

// PeriodName names one period of the horizon in words: "month" with 12
// periods a year, "quarter" with 4, "year" with 1, else "period". Charts,
// tables and sentences use it for their time axis.
func (h Horizon) PeriodName() string {
	switch h.PeriodsPerYear {
	case 12:
		return "month"
	case 4:
		return "quarter"
	case 1:
		return "year"
	}
	return "period"
}
