package report

import (
	"fmt"

	"github.com/retsim/retsim/sim"
)

// RunVerdict says in one sentence, without a final full stop, what a run
// of one scenario found at its horizon: its value (discounted profit plus
// customer equity), the customers it keeps and their NPS, each as mean
// [5-95% range across replications].
func RunVerdict(s *sim.Summary) string {
	h := s.Config.Horizon
	return fmt.Sprintf("over %d %ss, %s is worth %s currency at period 0 (discounted profit plus customer equity) and ends with %s active customers at an NPS of %s (mean [5-95%% range across replications])",
		h.Periods, h.PeriodName(), s.Scenario, interval(s.Totals.Value), interval(s.Totals.FinalActive), interval(s.Totals.FinalNPS))
}
