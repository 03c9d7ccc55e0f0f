package scenario

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// builtinFS holds the built-in scenarios, one YAML file each; a scenario's
// name is its file name without the extension.
//
//go:embed builtin/*.yaml
var builtinFS embed.FS

const builtinDir = "builtin"

// BuiltinNames returns the names of the built-in scenarios, sorted.
func BuiltinNames() []string {
	entries, err := fs.ReadDir(builtinFS, builtinDir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !e.IsDir() {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// BuiltinSource returns the YAML text of the named built-in scenario.
func BuiltinSource(name string) ([]byte, bool) {
	if name == "" || strings.ContainsAny(name, `/\`) {
		return nil, false
	}
	data, err := builtinFS.ReadFile(path.Join(builtinDir, name+".yaml"))
	if err != nil {
		return nil, false
	}
	return slices.Clone(data), true
}

// Builtin loads the named built-in scenario. Each call returns a fresh copy,
// which the caller may change. An unknown name gives an error that lists the
// known ones.
func Builtin(name string) (*Scenario, error) {
	data, ok := BuiltinSource(name)
	if !ok {
		return nil, fmt.Errorf("unknown built-in scenario %q; the built-in scenarios are: %s", name, strings.Join(BuiltinNames(), ", "))
	}
	return Load(path.Join(builtinDir, name+".yaml"), data)
}
