package scenarios

import (
	"os"
	"strings"
)

// ChangeSep separates a scenario reference from the changes made to it on
// the command line: NAME_OR_FILE+key=value[+key=value...], for example
// "baseline+policy.giving=1" or "my-firm.yaml+churn.alpha=0.9+market.cac=80".
const ChangeSep = "+"

// Ref is a scenario reference split into the scenario (a built-in name or
// a file) and the changes made to it, each key=value as written.
type Ref struct {
	Scenario string
	Changes  []string
}

// ParseRef splits ref at ChangeSep. The scenario is the longest prefix of
// parts that names an existing file or, if none does, everything before
// the first part that holds '='. After it, each part holding '=' starts a
// change and a part without one continues the change before it, so that a
// value may hold '+' ("churn.alpha=1e+0") and a file name too
// ("a+b.yaml+policy.giving=1"). A ref without '=' after a '+' is a scenario
// without changes.
func ParseRef(ref string) Ref {
	parts := strings.Split(ref, ChangeSep)
	first := len(parts)
	for first > 1 && !isFile(strings.Join(parts[:first], ChangeSep)) {
		first--
	}
	if first == 1 && !isFile(parts[0]) {
		for first < len(parts) && !strings.Contains(parts[first], "=") {
			first++
		}
	}
	r := Ref{Scenario: strings.Join(parts[:first], ChangeSep)}
	for _, p := range parts[first:] {
		if n := len(r.Changes); n > 0 && !strings.Contains(p, "=") {
			r.Changes[n-1] += ChangeSep + p
			continue
		}
		r.Changes = append(r.Changes, p)
	}
	return r
}

// isFile reports whether name is an existing file, which a reference
// naming it means whole, '+' and '=' included.
func isFile(name string) bool {
	st, err := os.Stat(name)
	return err == nil && !st.IsDir()
}

// label is the scenario's name followed by the changes, as outputs show it:
// "baseline+policy.giving=1".
func (r Ref) label(name string) string {
	for _, c := range r.Changes {
		name += ChangeSep + strings.TrimSpace(c)
	}
	return name
}

// changeSettings reads the changes of a reference as --set arguments are
// read (see setSettings), with origin LayerChange.
func changeSettings(changes []string) ([]setting, error) {
	return keyValueSettings(changes, LayerChange, "a change after + is key=value, e.g. baseline+policy.giving=1")
}
