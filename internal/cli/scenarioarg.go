package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parleyhq/parley/scenario"
)

// defaultScenario is the built-in scenario a command uses when given none.
const defaultScenario = "korea"

// builtinPrefix introduces the name of a built-in scenario in an argument.
const builtinPrefix = "builtin:"

// loadedScenario is a scenario together with where it came from.
type loadedScenario struct {
	Scenario *scenario.Scenario
	// Source is how to refer to it in messages: the path as the user wrote
	// it, "stdin", or "builtin:NAME".
	Source string
	// Builtin is the built-in's name, empty for a file.
	Builtin string
}

// scenarioUsage documents the scenario argument for help texts.
const scenarioUsage = `SCENARIO is a scenario file, - for standard input, or builtin:NAME for a
built-in scenario ('parley scenarios' lists them); without it the built-in
korea is used.`

// loadScenarioArgs resolves the optional scenario argument of a command that
// takes at most one (see [resolveScenario]); none means builtin:korea.
func loadScenarioArgs(env *Env, args []string) (*loadedScenario, error) {
	switch len(args) {
	case 0:
		return resolveScenario(env, builtinPrefix+defaultScenario)
	case 1:
		return resolveScenario(env, args[0])
	default:
		return nil, UsageErrorf("expected at most one scenario, got %d: %s", len(args), strings.Join(args, " "))
	}
}

// resolveScenario loads the scenario an argument names: "-" is read from
// env.Stdin; an existing file (relative to env.Dir) is loaded from disk;
// otherwise "builtin:NAME" is the built-in called NAME. A missing file, an
// unknown built-in or an invalid scenario is a usage error; the message of an
// invalid one lists every problem, one per line, as file:line:col: path: message.
func resolveScenario(env *Env, arg string) (*loadedScenario, error) {
	if arg == "" {
		return nil, UsageErrorf("empty scenario argument")
	}
	if arg == stdinArg {
		data, err := io.ReadAll(io.LimitReader(env.Stdin, maxStdinBytes))
		if err != nil {
			return nil, fmt.Errorf("reading the scenario from standard input: %w", err)
		}
		return loadBytes(stdinName, data)
	}
	path := env.path(arg)
	fi, statErr := os.Stat(path)
	if statErr == nil {
		if fi.IsDir() {
			return nil, UsageErrorf("%s is a directory, not a scenario file", arg)
		}
		// Read the file here rather than with scenario.LoadFile, so that
		// messages name it as the user did, not by its resolved path.
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, UsageErrorf("cannot read %s: %v", arg, unwrapPathError(err))
		}
		return loadBytes(arg, data)
	}
	if name, ok := strings.CutPrefix(arg, builtinPrefix); ok {
		return loadBuiltin(name)
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		if slices.Contains(scenario.BuiltinNames(), arg) {
			return nil, UsageErrorf("no file %s; for the built-in scenario write %s%s", arg, builtinPrefix, arg)
		}
		if filepath.Ext(arg) == "" && !strings.ContainsAny(arg, `/\`) {
			// A bare word: perhaps a built-in's name, misremembered.
			return nil, UsageErrorf("no file %s (for a built-in scenario write %sNAME; 'parley scenarios' lists them)", arg, builtinPrefix)
		}
		return nil, UsageErrorf("no file %s", arg)
	}
	return nil, UsageErrorf("cannot read %s: %v", arg, unwrapPathError(statErr))
}

// Standard input as a scenario argument.
const (
	stdinArg      = "-"
	stdinName     = "stdin" // names it in messages
	maxStdinBytes = 16 << 20
)

// loadBytes loads the scenario file called name whose content is data.
func loadBytes(name string, data []byte) (*loadedScenario, error) {
	sc, err := scenario.Load(name, data)
	if err != nil {
		return nil, UsageError(describeLoadError(name, err))
	}
	return &loadedScenario{Scenario: sc, Source: name}, nil
}

// loadBuiltin returns the built-in scenario called name.
func loadBuiltin(name string) (*loadedScenario, error) {
	names := scenario.BuiltinNames()
	if !slices.Contains(names, name) {
		return nil, UsageErrorf("no built-in scenario %q; the built-ins are %s", name, strings.Join(names, ", "))
	}
	sc, err := scenario.Builtin(name)
	if err != nil {
		// A built-in that does not load is parley's bug, not the user's.
		return nil, fmt.Errorf("built-in scenario %s does not load, please report:\n%w", name, err)
	}
	return &loadedScenario{Scenario: sc, Source: builtinPrefix + name, Builtin: name}, nil
}

// describeLoadError turns the loader's error for the file the user called
// arg into a message: a header line followed by the problems as the loader
// wrote them.
func describeLoadError(arg string, err error) error {
	var se *scenario.Error
	if errors.As(err, &se) {
		n := len(se.Problems)
		noun := "problems"
		if n == 1 {
			noun = "problem"
		}
		return fmt.Errorf("%s is not a valid scenario (%d %s):\n%w", arg, n, noun, err)
	}
	return err
}

// unwrapPathError returns the cause inside a *fs.PathError, whose message
// would otherwise repeat the (resolved) path.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
