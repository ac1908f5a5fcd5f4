// Package scenarios loads retsim scenarios into a validated sim.Config: the
// built-in library (YAML files embedded from builtin/) and user files in
// YAML, TOML or JSON, layered with RETSIM_ environment variables, --set
// arguments and command-line flags.
//
// Precedence, highest first: flags, --set (later beats earlier), RETSIM_
// environment variables, the scenario file, the files it extends (nearest
// first), and the defaults of sim.Params. Every parameter's final value
// records its Origin, which Scenario.Show prints.
//
// A scenario file holds, at top level, an optional description (text read to
// a learner: what the firm does and what the scenario shows), an optional
// extends (a built-in name, or a path to another file relative to this one),
// and parameters, nested by section or as dotted keys:
//
//	description: Deep discounts to win customers.
//	extends: baseline
//	policy:
//	  generosity: 0
//	discounts.depth: 0.35
//
// Decoding is strict. Unknown keys (with a "did you mean" suggestion), text
// or booleans where a number belongs (even "1"), fractions where a whole
// number belongs, NaN, infinities and values out of range are errors, as are
// missing, empty, unreadable or unparsable files and cycles in extends. Every
// such error is an *Error naming the file (or other origin), the key, what is
// allowed and what was given.
//
// Environment variables are named RETSIM_ followed by the key in capitals
// with dots as underscores (RETSIM_CHURN_ALPHA for churn.alpha). An unknown
// RETSIM_ variable that looks like a parameter (it starts with a section
// name, as in RETSIM_CHURN_ALHPA, or is a near miss of a parameter's
// variable, as in RETSIM_SEEDS) is an error; other RETSIM_ variables are
// left to the command line.
//
// In built-in files every value carries a comment: a source from the
// project's published figures (author and year), "assumption", or
// "definition" for a value that defines the scenario (a dial at one end, a
// mechanism switched off). Each built-in other than baseline and neutral
// extends another and states only what differs from it.
package scenarios

//go:generate go run ./gen -o ../docs/parameters.md
