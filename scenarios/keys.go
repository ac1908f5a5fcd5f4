package scenarios

import (
	"strings"

	"github.com/retsim/retsim/sim"
)

// Top-level keys of a scenario file that are not parameters.
const (
	keyDescription = "description"
	keyExtends     = "extends"
)

// envPrefix starts the name of every environment variable read by Load.
const envPrefix = "RETSIM_"

var (
	// paramKeys lists every parameter key, in the order of sim.Params.
	paramKeys = func() []string {
		keys := make([]string, len(sim.Params))
		for i, p := range sim.Params {
			keys[i] = p.Key
		}
		return keys
	}()

	// fileKeys are the keys a scenario file may hold, for suggestions.
	fileKeys = append([]string{keyDescription, keyExtends, keySegments, keyTargeting, keyUncertain}, paramKeys...)

	// sections maps each section (the part of a key before its dot) to
	// its first parameter, given as an example in errors.
	sections = func() map[string]string {
		m := map[string]string{}
		for _, k := range paramKeys {
			if s, _, ok := strings.Cut(k, "."); ok && m[s] == "" {
				m[s] = k
			}
		}
		return m
	}()

	// envKeys maps each parameter's environment variable to its key.
	envKeys = func() map[string]string {
		m := make(map[string]string, len(paramKeys))
		for _, k := range paramKeys {
			m[envName(k)] = k
		}
		return m
	}()

	// envStems lists the parameters' environment variables without the
	// prefix, in lower case (churn_alpha), in the order of sim.Params, for
	// suggestions.
	envStems = func() []string {
		stems := make([]string, len(paramKeys))
		for i, k := range paramKeys {
			stems[i] = strings.ReplaceAll(k, ".", "_")
		}
		return stems
	}()
)

// envName is the environment variable of the parameter key:
// churn.alpha -> RETSIM_CHURN_ALPHA.
func envName(key string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// unknownKey is the message for a key that names no parameter, with the
// closest of candidates as a suggestion when there is one.
func unknownKey(key string, candidates []string) string {
	if s, ok := suggest(key, candidates); ok {
		return "unknown key; did you mean " + s + "?"
	}
	return "unknown key; see docs/parameters.md for every parameter"
}

// suggest returns the candidate that s most likely misspells: the closest by
// edit distance (ignoring case) if within a third of s's length (at least
// one edit, at most three), else the only candidate whose last dotted part
// equals s's (so "alpha" suggests "churn.alpha").
func suggest(s string, candidates []string) (string, bool) {
	ls := strings.ToLower(s)
	limit := min(max(len(ls)/3, 1), 3)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if abs(len(c)-len(ls)) > limit {
			continue // farther than limit edits, and too costly to compare when s is long
		}
		if d := editDistance(ls, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best != "" {
		return best, true
	}
	var match []string
	for _, c := range candidates {
		if lastPart(strings.ToLower(c)) == lastPart(ls) {
			match = append(match, c)
		}
	}
	if len(match) == 1 {
		return match[0], true
	}
	return "", false
}

func abs(n int) int { return max(n, -n) }

func lastPart(key string) string {
	return key[strings.LastIndexByte(key, '.')+1:]
}

// editDistance is the optimal-string-alignment distance between a and b:
// insertions, deletions, substitutions and swaps of adjacent bytes.
func editDistance(a, b string) int {
	// d[i][j] is the distance between a[:i] and b[:j].
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
