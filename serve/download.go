package serve

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// scenarioFile answers with the moved scenario as a YAML scenario file
// that `retsim run` and `retsim compare` accept (see writeScenario).
func (s *Server) scenarioFile(w http.ResponseWriter, r *http.Request) {
	req, _, alt, ok := s.load(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := writeScenario(&buf, req, alt); err != nil {
		fail(w, http.StatusInternalServerError, "", err)
		return
	}
	attach(w, "application/yaml", fileName(req.scenario)+".yaml", buf.Bytes())
}

// dataFile answers with the comparison's series, comparison_series.csv as
// `retsim compare` writes it.
func (s *Server) dataFile(w http.ResponseWriter, r *http.Request) {
	_, _, st, ok := s.study(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := compare.WriteSeriesCSV(&buf, st.Comparison); err != nil {
		fail(w, http.StatusInternalServerError, "", err)
		return
	}
	attach(w, "text/csv; charset=utf-8", "comparison_series.csv", buf.Bytes())
}

// reportFile answers with the comparison's report.html, written by the
// server's Reporter.
func (s *Server) reportFile(w http.ResponseWriter, r *http.Request) {
	if s.report == nil {
		fail(w, http.StatusNotFound, "", fmt.Errorf("this explorer writes no report"))
		return
	}
	ref, alt, st, ok := s.study(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := s.report(&buf, []*scenarios.Scenario{ref, alt}, st); err != nil {
		fail(w, http.StatusInternalServerError, "", err)
		return
	}
	attach(w, "text/html; charset=utf-8", "report.html", buf.Bytes())
}

// attach writes body as a download named name.
func attach(w http.ResponseWriter, contentType, name string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body) // an error means the client has gone
}

// fileName is a download's name for scenario ref: "moved-" and its base
// name, letters, digits, '-' and '_' only.
func fileName(ref string) string {
	base := strings.TrimSuffix(filepath.Base(ref), filepath.Ext(ref))
	clean := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, base)
	return "moved-" + clean
}

// writeScenario writes the scenario alt, as the request moved it, as a
// YAML scenario file: it extends the chosen scenario (a built-in by name,
// a file given at start by its absolute path) and sets the parameters the
// request set, with the reference's seed and the replications, so that
// `retsim run` gives its numbers in the explorer and `retsim compare REF
// FILE` the explorer's comparison.
func writeScenario(w io.Writer, req *request, alt *scenarios.Scenario) error {
	base := req.scenario
	if !isBuiltin(base) {
		abs, err := filepath.Abs(base)
		if err != nil {
			return fmt.Errorf("serve: %s: %w", base, err)
		}
		base = abs
	}
	fmt.Fprintf(w, "# %s, as moved in the retsim explorer against %s. Its numbers, and the explorer's comparison:\n", req.scenario, req.ref)
	fmt.Fprintf(w, "#   retsim run %s.yaml\n#   %s\n", fileName(req.scenario), compareCommand(req))
	fmt.Fprintf(w, "description: %s\n", strconv.Quote(strings.TrimSpace(alt.Description)))
	fmt.Fprintf(w, "extends: %s\n", strconv.Quote(base))
	set := map[string]bool{"seed": true, "replications": true}
	for _, kv := range req.sets {
		key, _, _ := strings.Cut(kv, "=")
		set[key] = true
	}
	section := ""
	for _, p := range sim.Params {
		if !set[p.Key] {
			continue
		}
		text, err := alt.Config.Text(p.Key)
		if err != nil {
			return fmt.Errorf("serve: %s: %w", p.Key, err)
		}
		head, name, nested := strings.Cut(p.Key, ".")
		if !nested {
			fmt.Fprintf(w, "%s: %s\n", head, text)
			section = ""
			continue
		}
		if head != section {
			fmt.Fprintf(w, "%s:\n", head)
			section = head
		}
		fmt.Fprintf(w, "  %s: %s\n", name, text)
	}
	return nil
}

// compareCommand is the `retsim compare` command that compares the file
// writeScenario writes with the reference as the explorer does: the same
// replications, and the horizon and seed the request sets for both.
func compareCommand(req *request) string {
	args := []string{"retsim", "compare", req.ref, fileName(req.scenario) + ".yaml", "--replications", strconv.Itoa(req.reps)}
	for _, kv := range req.sets {
		if key, _, _ := strings.Cut(kv, "="); shared(key) {
			args = append(args, "--set", kv)
		}
	}
	return strings.Join(args, " ")
}

// isBuiltin reports whether name is a built-in scenario's.
func isBuiltin(name string) bool {
	for _, info := range scenarios.List() {
		if info.Name == name {
			return true
		}
	}
	return false
}
