package scenarios

import (
	"fmt"
	"strings"

	"github.com/retsim/retsim/sim"
)

// ParamsMarkdown is docs/parameters.md: every parameter in sim.Params with
// its type, unit, allowed range, default, the source of the default and its
// meaning, in one Markdown table, after a short guide to setting them.
func ParamsMarkdown() string {
	var b strings.Builder
	b.WriteString(`# Parameters

<!-- Generated from sim.Params by "go generate ./scenarios"; do not edit. -->

Every parameter of a retsim scenario, in the order of the model's mechanisms.
Each default is either a published figure (the source column names it; survey
figures are stated intentions, not observed behaviour) or an assumption.

Set a parameter, from lowest to highest precedence:

1. in a scenario file (YAML, TOML or JSON), nested by section or as a dotted
   key, or in a file it extends (a built-in name or another file);
2. in the environment, as RETSIM_ and the key in capitals with dots as
   underscores: ` + "`RETSIM_CHURN_ALPHA=0.5`" + `;
3. with ` + "`--set churn.alpha=0.5`" + ` (later ones win);
4. with a command-line flag for it, where there is one.

Values are numbers: text (even "1") is refused, as are fractions for
integers, NaN, infinities and values outside the allowed range. Money is in
currency units; time is in periods (months by default); probabilities are per
customer per period unless the meaning says otherwise.

| Key | Type | Unit | Allowed | Default | Source | Meaning |
|---|---|---|---|---|---|---|
`)
	for _, p := range sim.Params {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s |\n",
			p.Key, p.Type(), cell(p.Unit), cell(p.Range()), formatNumber(p.Default), cell(p.Source), cell(p.Doc))
	}
	b.WriteString(segmentsMarkdown())
	return b.String()
}

// cell escapes s for a Markdown table cell.
func cell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}
