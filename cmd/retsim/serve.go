package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/report"
	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/serve"
	"github.com/retsim/retsim/sim"
)

func newServeCmd() *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "serve [SCENARIO_OR_FILE ...]",
		Short: "Explore scenarios in a browser: sliders for the policy dials, charts that follow",
		Long: `Start a local web server with an explorer: choose a reference and a scenario
(the built-in scenarios, and the files named here), move the sliders of the
scenario's policy dials (policy.giving, policy.generosity, policy.human_share,
policy.staff_skill, policy.people), switching.cost and horizon.periods, and
see active customers, NPS and cumulative discounted profit of both, and their
paired difference on common random numbers, with a verdict of one sentence;
a view of more than 2 replications answers first from 2 (the first of the
full run), then from all.
A panel sets any parameter of 'retsim params' (with its unit, range and
source); below the charts, one customer's story follows an initial customer
of one replication period by period under both policies, on the same random
numbers. The page downloads the moved scenario as a YAML file that 'retsim
run' accepts (its first lines give the 'retsim compare' command with the
explorer's numbers), the comparison's series as CSV, and report.html as
'retsim compare' writes it.
The page's state is in its address, so a link reproduces the view. It opens
on giving against the reference taking; with one scenario named here, on it
against baseline; with more, on the second against the first.

The page and its charts come from this binary; it needs no network. The
browser chooses only among the scenarios offered at start, never names a
file. Values are checked as --set checks them; each run is refused by the
resource guards as 'retsim run' would refuse it, at most ` + fmt.Sprint(serve.MaxReplications) + ` replications
(default ` + fmt.Sprint(serve.DefaultReplications) + `), ` + fmt.Sprint(serve.Concurrent) + ` runs at once, and a run stops when its page
moves on or closes.

The server listens on 127.0.0.1 by default, and there answers only requests
for localhost or a loopback address; another address shares the explorer
with its network, which it warns of: it has no authentication.`,
		Example: `  retsim serve
  retsim serve my-firm.yaml --addr 127.0.0.1:9000    # opens on my-firm against baseline
  retsim serve discount-led generous`,
		RunE: func(cmd *cobra.Command, args []string) error {
			srv, err := serve.New(args, serveGuard, serveReport)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return usage("serve: %v", err)
			}
			return listen(cmd.Context(), cmd.OutOrStdout(), ln, srv)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "host:port to listen on; port 0 picks a free one")
	return cmd
}

// serveGuard is the guard of `retsim run` (see runFlags.guard) for one run
// of the explorer, which has no --allow-large to suggest.
func serveGuard(name string, group []sim.Config) (sim.Options, error) {
	var f runFlags
	opt, err := f.guard(io.Discard, name, [][]sim.Config{group}, true)
	if err != nil {
		return opt, errors.New(strings.TrimSuffix(err.Error(), ", or pass --allow-large"))
	}
	return opt, nil
}

// serveReport is report.html of the explorer's comparison, written as
// `retsim compare REF SCENARIO` writes it (see studyReport).
func serveReport(w io.Writer, scs []*scenarios.Scenario, st *compare.Study) error {
	opt, _, err := studyReport(st)
	if err != nil {
		return err
	}
	opt.Command = "retsim serve: " + scs[1].Name + " against " + scs[0].Name
	return report.HTML(w, reportPages(scs, st.Summaries), opt)
}

// listen serves h on ln until ctx is done, after printing the address on
// w: on a loopback address to requests for a loopback host only (see
// serve.LocalOnly), on any other with a warning.
func listen(ctx context.Context, w io.Writer, ln net.Listener, h http.Handler) error {
	tcp := ln.Addr().(*net.TCPAddr)
	if tcp.IP.IsLoopback() {
		h = serve.LocalOnly(h)
	} else {
		fmt.Fprintf(w, "warning: %s is not a loopback address: anyone who can reach it may run simulations; the explorer has no authentication\n", tcp)
	}
	fmt.Fprintf(w, "retsim explorer on http://%s/ (Ctrl-C stops it)\n", tcp)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 16 << 10, IdleTimeout: time.Minute,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
		return ctx.Err()
	}
}
