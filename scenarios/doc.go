// Package scenarios loads retsim scenarios into a validated sim.Config: the
// built-in library (YAML files embedded from builtin/) and user files in
// YAML, TOML or JSON, layered with RETSIM_ environment variables, --set
// arguments and command-line flags.
//
// Precedence, highest first: flags, the changes of the scenario reference,
// --set (later beats earlier), RETSIM_ environment variables, the scenario
// file, the files it extends (nearest first), and the defaults of
// sim.Params. Every parameter's final value records its Origin, which
// Scenario.Show prints.
//
// A scenario reference is a built-in name or a file, optionally followed by
// changes: NAME_OR_FILE+key=value[+key=value...], such as
// baseline+policy.giving=1 (see ParseRef). Each change is read and checked
// as a --set argument is, applies to that scenario only, beats --set and
// the environment, and is part of the scenario's name, so that outputs
// label it "baseline+policy.giving=1".
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
// An optional uncertain section gives parameters distributions instead of
// values (assumptions): each replication draws its own value of each, from
// a stream keyed by (seed, replication, key), so scenarios that share an
// assumption draw the same values and adding one leaves the others' draws
// alone (see sim.Config.Draws):
//
//	uncertain:
//	  goodwill.negativity_bias: {dist: triangular, min: 1.5, mode: 2.25, max: 3}
//	  pricing.price_sensitivity: {dist: pert, min: 0.5, mode: 2, max: 3}
//	  market.cac: {dist: lognormal, median: 150, sd_log: 0.3}
//
// Kinds and fields: uniform (min, max), triangular and pert (min, mode,
// max), normal (mean, sd) and lognormal (median, sd_log), both truncated to
// the parameter's allowed range, beta (alpha, beta; optional min and max,
// default 0 and 1) and discrete (values; optional weights). The bounded
// kinds must lie inside the allowed range. Whole-number parameters (counts,
// periods, seed) cannot carry a distribution. Keys may be dotted or nested
// by section. A file's distribution replaces one of a file it extends; a
// value given for the parameter by a later layer (a file that extends it,
// the environment, --set, a flag) removes the distribution; a file may not
// give one parameter both. Errors name the file and uncertain.<key>.
//
// Files must be regular files (a named pipe, a device or a directory is
// refused without being opened for reading) of at most 1 MiB. Before a
// decoder sees a file, its raw text is checked: nesting (sections, lists,
// inline tables) at most 16 deep, keys of at most 16 dotted parts and 128
// bytes; the same limits apply to keys from --set, flags and the
// environment. So the time and memory spent refusing any input grow no
// faster than its size. A YAML file holds one document (a second one is
// refused, not ignored) and may declare %YAML 1.1 or 1.2; a JSON file holds
// one object.
//
// Integers are read exactly, not through a float64: a seed may be any
// whole number from 0 to 2^64-1 (18446744073709551615), in a file, --set,
// the environment or a flag alike (TOML integers stop at 2^63-1). A number
// too large for a float64 (beyond about 1.8e308) is refused as such.
//
// A broken relation between two parameters (discounts.months <=
// horizon.periods, say) is blamed on whichever of the two was set last, in
// the order of precedence, naming the other and where its value came from.
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
