package serve

import (
	"context"
	"fmt"
	"net/http"

	"github.com/retsim/retsim/sim"
)

// Stories is one customer's story under the reference and under the
// scenario, on the same random numbers (see sim.Trace).
type Stories struct {
	Reference string      `json:"reference"`
	Scenario  string      `json:"scenario"`
	Stories   []sim.Story `json:"stories"` // the reference's, then the scenario's
}

// story answers with the story of the request's customer in its
// replication under both policies.
func (s *Server) story(w http.ResponseWriter, r *http.Request) {
	req, ref, alt, ok := s.load(w, r)
	if !ok {
		return
	}
	if req.rep >= req.reps {
		fail(w, http.StatusBadRequest, paramRep, fmt.Errorf("%s: must be from 0 to %d, the replications less one, got %d", paramRep, req.reps-1, req.rep))
		return
	}
	if n := min(ref.Config.Population.Initial, alt.Config.Population.Initial); req.customer >= n {
		fail(w, http.StatusBadRequest, paramCustomer, fmt.Errorf("%s: must be from 0 to %d, an initial customer of both scenarios, got %d", paramCustomer, n-1, req.customer))
		return
	}
	out := Stories{Reference: ref.Name, Scenario: alt.Name}
	one := []sim.Config{ref.Config, alt.Config}
	for i := range one {
		one[i].Replications = 1 // the guard forecasts one replication of each
	}
	ok = s.simulate(w, r, one, func(ctx context.Context, _ sim.Options) error {
		for _, cfg := range []sim.Config{ref.Config, alt.Config} {
			st, _, err := sim.Trace(ctx, cfg, req.rep, req.customer)
			if err != nil {
				return err
			}
			out.Stories = append(out.Stories, *st)
		}
		return nil
	})
	if ok {
		reply(w, out)
	}
}
