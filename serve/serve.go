// Package serve is the HTTP handler of `retsim serve`: a page, served
// entirely from the binary, with sliders for the policy dials of a scenario,
// and an API that compares the moved scenario with a reference on common
// random numbers and answers with the series the page charts.
//
// Nothing a client sends names a file: it chooses among the built-in
// scenarios and the files given to New. Every request is bounded: its body
// (MaxBody) and query (MaxQuery, one value per known parameter), its work
// (the Guard, as for `retsim run`, and Timeout) and the runs at once
// (Concurrent); a run stops when its client goes away.
package serve

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// Limits on a request.
const (
	// MaxBody is the largest request body read, in bytes.
	MaxBody = 4 << 10
	// MaxQuery is the longest query string accepted, in bytes.
	MaxQuery = 2 << 10
	// MaxReplications caps the replications of one run; DefaultReplications
	// is what a run without reps uses.
	MaxReplications     = 64
	DefaultReplications = 8
	// Concurrent is the number of runs of more than QuickReplications
	// simulated at once, and, apart, the number of runs of at most
	// QuickReplications: a page's first answer never waits behind full
	// runs. Others wait for a turn or for their client to go away.
	Concurrent = 2
	// QuickReplications is the most replications of a quick run: the
	// page's first answer (explorer.js asks for 2).
	QuickReplications = 2
	// Timeout is the longest a run may take, waiting included.
	Timeout = 5 * time.Minute
)

// Guard forecasts the simulations of a run, a group of configurations
// simulated in lockstep, and returns the options to run them with, or an
// error of one line refusing a run too large (see `retsim run --help`).
type Guard func(name string, group []sim.Config) (sim.Options, error)

// Dial is a parameter the page offers as a slider, applied to the chosen
// scenario (horizon.periods to both, as a comparison needs one horizon).
type Dial struct {
	Key  string  `json:"key"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	Step float64 `json:"step"`
	Doc  string  `json:"doc"`
}

// Dials are the sliders, in the page's order. Their ranges lie within the
// parameters' own (sim.Params); a value sent outside them is checked as
// --set would check it.
var Dials = []Dial{
	{Key: "policy.giving", Min: 0, Max: 1, Step: 0.05},
	{Key: "policy.generosity", Min: 0, Max: 1, Step: 0.05},
	{Key: "policy.human_share", Min: 0, Max: 1, Step: 0.05},
	{Key: "policy.staff_skill", Min: 0, Max: 1, Step: 0.05},
	{Key: "policy.people", Min: 0, Max: 1, Step: 0.05},
	{Key: "switching.cost", Min: 0, Max: 1, Step: 0.05},
	{Key: "horizon.periods", Min: 6, Max: 240, Step: 6},
}

func init() {
	for i, d := range Dials {
		p, ok := sim.Lookup(d.Key)
		if !ok {
			panic("serve: dial " + d.Key + " is not a parameter")
		}
		Dials[i].Doc = p.Doc
	}
}

//go:embed static
var static embed.FS

// Reporter writes report.html of the comparison of scs, the reference
// first, from its study, as `retsim compare` writes it.
type Reporter func(w io.Writer, scs []*scenarios.Scenario, st *compare.Study) error

// Server is the explorer's handler.
type Server struct {
	choices []string // built-in names, then the files given, as given
	// defaults are the reference and scenario the page opens with.
	defaults [2]string
	guard    Guard
	report   Reporter
	turns    chan struct{} // a token per run simulating
	quick    chan struct{} // a token per quick run simulating (QuickReplications)
	mux      *http.ServeMux
}

// New returns the explorer offering the built-in scenarios and refs (files
// or built-in names), each loaded once here so that a bad file is refused at
// start. The page opens with taking as reference and giving as scenario;
// with one ref, baseline and it; with more, the first two. Its report is
// written by report; with none, the page offers no report.
func New(refs []string, guard Guard, report Reporter) (*Server, error) {
	s := &Server{guard: guard, report: report, turns: make(chan struct{}, Concurrent), quick: make(chan struct{}, Concurrent), mux: http.NewServeMux(), defaults: [2]string{"taking", "giving"}}
	switch len(refs) {
	case 0:
	case 1:
		s.defaults = [2]string{"baseline", refs[0]}
	default:
		s.defaults = [2]string{refs[0], refs[1]}
	}
	for _, info := range scenarios.List() {
		s.choices = append(s.choices, info.Name)
	}
	for _, ref := range refs {
		if _, err := scenarios.Load(ref, scenarios.Sources{}); err != nil {
			return nil, err
		}
		if !slices.Contains(s.choices, ref) {
			s.choices = append(s.choices, ref)
		}
	}
	page, err := fs.Sub(static, "static")
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	s.mux.Handle("GET /", http.FileServerFS(page))
	s.mux.HandleFunc("GET /api/scenarios", s.scenarios)
	s.mux.HandleFunc("GET /api/run", s.run)
	s.mux.HandleFunc("POST /api/run", s.run)
	s.mux.HandleFunc("GET /api/story", s.story)
	s.mux.HandleFunc("GET /api/scenario.yaml", s.scenarioFile)
	s.mux.HandleFunc("GET /api/data.csv", s.dataFile)
	s.mux.HandleFunc("GET /api/report.html", s.reportFile)
	return s, nil
}

// ServeHTTP bounds the request's body and query, then serves it; the page
// may load nothing from elsewhere (Content-Security-Policy).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", "default-src 'self'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	if len(r.URL.RawQuery) > MaxQuery {
		fail(w, http.StatusRequestURITooLong, "", fmt.Errorf("query of %d bytes exceeds the limit of %d", len(r.URL.RawQuery), MaxQuery))
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Choice is a scenario the page offers, with its parameters' own values.
type Choice struct {
	Name        string             `json:"name"`
	Description string             `json:"description"`
	Values      map[string]float64 `json:"values"` // by parameter key
}

// Parameter is a parameter the page's panel may set (see Settable), as
// `retsim params` lists it.
type Parameter struct {
	Key    string  `json:"key"`
	Unit   string  `json:"unit"`
	Range  string  `json:"range"` // in words, e.g. "in [0, 1]"
	Min    Number  `json:"min"`   // null when unbounded
	Max    Number  `json:"max"`
	Whole  bool    `json:"whole"`
	Doc    string  `json:"doc"`
	Source string  `json:"source"`
	Dial   bool    `json:"dial"` // also a slider
	Step   float64 `json:"step"` // of the panel's input: 1 for whole numbers, else any
}

// Parameters are the panel's parameters, in the order of sim.Params.
func Parameters() []Parameter {
	var out []Parameter
	for _, p := range sim.Params {
		if !Settable(p.Key) {
			continue
		}
		q := Parameter{Key: p.Key, Unit: p.Unit, Range: p.Range(), Min: Number(p.Min), Max: Number(p.Max), Whole: p.Whole, Doc: p.Doc, Source: p.Source}
		if p.Whole {
			q.Step = 1
		}
		q.Dial = slices.ContainsFunc(Dials, func(d Dial) bool { return d.Key == p.Key })
		out = append(out, q)
	}
	return out
}

func (s *Server) scenarios(w http.ResponseWriter, r *http.Request) {
	var out struct {
		Scenarios []Choice    `json:"scenarios"`
		Dials     []Dial      `json:"dials"`
		Params    []Parameter `json:"params"`
		MaxReps   int         `json:"max_replications"`
		Reps      int         `json:"default_replications"`
		Defaults  []string    `json:"defaults"` // reference and scenario
		Report    bool        `json:"report"`   // whether the report can be downloaded
	}
	out.Dials, out.Params, out.MaxReps, out.Reps, out.Defaults, out.Report = Dials, Parameters(), MaxReplications, DefaultReplications, s.defaults[:], s.report != nil
	for _, name := range s.choices {
		sc, err := scenarios.LoadContext(r.Context(), name, scenarios.Sources{})
		if err != nil {
			fail(w, http.StatusInternalServerError, "", err)
			return
		}
		c := Choice{Name: name, Description: sc.Description, Values: map[string]float64{}}
		for _, p := range out.Params {
			if c.Values[p.Key], err = sc.Config.Get(p.Key); err != nil {
				fail(w, http.StatusInternalServerError, p.Key, err)
				return
			}
		}
		out.Scenarios = append(out.Scenarios, c)
	}
	reply(w, out)
}

// load reads and loads the request of r, or answers it with the error and
// reports false.
func (s *Server) load(w http.ResponseWriter, r *http.Request) (req *request, ref, alt *scenarios.Scenario, ok bool) {
	req, err := parse(r, s.choices)
	if err != nil {
		var re *requestError
		errors.As(err, &re)
		fail(w, http.StatusBadRequest, re.field, re.err)
		return nil, nil, nil, false
	}
	if ref, alt, err = req.load(r.Context()); err != nil {
		var se *scenarios.Error
		if errors.As(err, &se) {
			fail(w, http.StatusBadRequest, se.Key, err)
		} else {
			fail(w, http.StatusBadRequest, "", err)
		}
		return nil, nil, nil, false
	}
	return req, ref, alt, true
}

// simulate runs work, with the options the guard gives for group, when a
// turn comes, within Timeout; or answers r with why it did not, and
// reports false.
func (s *Server) simulate(w http.ResponseWriter, r *http.Request, group []sim.Config, work func(context.Context, sim.Options) error) bool {
	ctx, cancel := context.WithTimeout(r.Context(), Timeout)
	defer cancel()
	opt, err := s.guard("serve", group)
	if err != nil {
		fail(w, http.StatusBadRequest, "", err)
		return false
	}
	lane := s.turns
	if group[0].Replications <= QuickReplications {
		lane = s.quick
	}
	select {
	case lane <- struct{}{}:
		defer func() { <-lane }()
	case <-ctx.Done():
		fail(w, http.StatusServiceUnavailable, "", fmt.Errorf("no turn to simulate: %w", ctx.Err()))
		return false
	}
	err = work(ctx, opt)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) && r.Context().Err() == nil:
		fail(w, http.StatusServiceUnavailable, "", fmt.Errorf("serve: the run was stopped after %s; lower reps or horizon.periods", Timeout))
		return false
	case ctx.Err() != nil: // the client has gone, perhaps as work ended without an error
		fail(w, http.StatusServiceUnavailable, "", errors.Join(err, ctx.Err()))
		return false
	case err != nil:
		fail(w, http.StatusInternalServerError, "", err)
		return false
	}
	return true
}

// study compares the chosen scenario, moved by the parameters set, with
// the reference, as `retsim compare` does; or answers r with why it did
// not, and reports false.
func (s *Server) study(w http.ResponseWriter, r *http.Request) (ref, alt *scenarios.Scenario, st *compare.Study, ok bool) {
	_, ref, alt, ok = s.load(w, r)
	if !ok {
		return nil, nil, nil, false
	}
	ok = s.simulate(w, r, []sim.Config{ref.Config, alt.Config}, func(ctx context.Context, opt sim.Options) error {
		var err error
		st, err = runStudy(ctx, ref, alt, opt)
		return err
	})
	return ref, alt, st, ok
}

// run compares the chosen scenario, moved by the parameters set, with the
// reference, and answers with the verdict and the charts' series.
func (s *Server) run(w http.ResponseWriter, r *http.Request) {
	ref, alt, st, ok := s.study(w, r)
	if !ok {
		return
	}
	reply(w, explore(st, ref, alt))
}

// reply writes v as JSON.
func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v) // an error means the client has gone: nothing is left to tell it
}

// Failure is the body of every error response: a message of one line and,
// when one parameter is at fault, its key.
type Failure struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

func fail(w http.ResponseWriter, status int, field string, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(Failure{Error: err.Error(), Field: field})
}

// LocalOnly refuses, with 421 Misdirected Request, a request whose Host is
// neither localhost nor a loopback address. On a loopback address it keeps
// a web page of another site, whose name its owner points at 127.0.0.1 (DNS
// rebinding), from driving the explorer and reading its answers.
func LocalOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		ip := net.ParseIP(strings.Trim(host, "[]"))
		if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			fail(w, http.StatusMisdirectedRequest, "", fmt.Errorf("host %q is not this explorer's: open it at localhost or a loopback address", shorten(r.Host)))
			return
		}
		h.ServeHTTP(w, r)
	})
}
