package scenario

import (
	_ "embed"
	"slices"
)

//go:embed parley.schema.json
var schemaJSON []byte

// Schema returns the JSON Schema (draft 2020-12) of the scenario format: the
// file form, which is the same in YAML and in JSON. Editors can use it to
// complete and check scenario files; it expresses the types, required keys,
// choices and numeric ranges, while the cross-references (unknown ids, priors
// summing to 1, orders of phases, ...) are checked by [Validate] only.
func Schema() []byte {
	return slices.Clone(schemaJSON)
}
