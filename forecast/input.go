package forecast

import (
	"fmt"
	"math"
)

// Input is everything a forecasting model needs to know about the actors at
// the table.
type Input struct {
	// Name and Description are free text carried from the file.
	Name, Description string
	// Format names the file format the input was read from (see [Format]).
	Format Format
	// Dimensions are the issue dimensions, in the order of every actor's
	// Position and Salience.
	Dimensions []Dimension
	// Actors are the stakeholders, in file order; at least two.
	Actors []Actor
	// Accommodation, when not nil, is KTAB's ideal-adjustment matrix:
	// Accommodation[i][j] is how far actor i's ideal point moves towards
	// actor j's position each turn (KTAB's default, the identity, makes every
	// ideal point follow its own position). Only KTAB XML files set it.
	Accommodation [][]float64
	// SMP holds the SMP model parameters a KTAB XML file names, by KTAB's
	// parameter name (VictoryProbModel, PCEModel, ...); nil when the file
	// names none.
	SMP map[string]string
	// Seed is the random seed a KTAB XML file gives (0: none).
	Seed uint64
}

// Dimension is one issue dimension.
type Dimension struct {
	// Name labels the dimension, such as "Policy" or "years".
	Name string
	// Min and Max bound the positions on this dimension when Bounded; KTAB
	// files always use 0 and 100. Models that need a common scale (SMP)
	// map [Min, Max] onto [0, 1].
	Min, Max float64
	Bounded  bool
}

// Actor is one stakeholder.
type Actor struct {
	// Name identifies the actor; names are unique within an input.
	Name string
	// Description is free text.
	Description string
	// Capability is the actor's power or clout, positive, on any scale
	// (only ratios between actors matter).
	Capability float64
	// Position holds the actor's position on each dimension, in the
	// dimension's own units.
	Position []float64
	// Salience holds how much the actor cares about each dimension, as a
	// share of its attention from 0 to 1; the shares sum to at most 1.
	Salience []float64
}

// Format is a file format for inputs.
type Format string

// The formats [Read] understands.
const (
	FormatKTABCSV Format = "ktab-csv" // KTAB's SMP CSV: scenario line, header, one row per actor, 0-100 scales
	FormatKTABXML Format = "ktab-xml" // KTAB's SMP XML (smpSchema.xsd)
	FormatTable   Format = "table"    // a CSV table with one row per actor and columns actor, capability, position, salience
	FormatYAML    Format = "yaml"     // parley's YAML form
)

// Formats lists every input format, in the order help texts show them.
var Formats = []Format{FormatKTABCSV, FormatKTABXML, FormatTable, FormatYAML}

// salienceTol absorbs rounding in sums of saliences read as decimals.
const salienceTol = 1e-9

// Validate checks an input built in Go and returns an *Error listing every
// problem, each located by its field path (such as "actors[2].salience[0]").
// The readers call it too, so every input they return passes it.
func Validate(in *Input) error {
	var ps []Problem
	add := func(path, format string, a ...any) {
		ps = append(ps, Problem{Path: path, Msg: fmt.Sprintf(format, a...)})
	}
	nd := len(in.Dimensions)
	if nd == 0 {
		add("dimensions", "there must be at least one dimension")
	}
	seenDim := map[string]int{}
	for k, d := range in.Dimensions {
		p := fmt.Sprintf("dimensions[%d]", k)
		if d.Name == "" {
			add(p+".name", "the dimension needs a name")
		} else if j, ok := seenDim[d.Name]; ok {
			add(p+".name", "dimension %q is named twice (also dimensions[%d])", d.Name, j)
		} else {
			seenDim[d.Name] = k
		}
		if d.Bounded {
			if !finite(d.Min) || !finite(d.Max) || d.Min >= d.Max {
				add(p, "the scale [%g, %g] must have finite ends with min below max", d.Min, d.Max)
			}
		}
	}
	if len(in.Actors) < 2 {
		add("actors", "there must be at least two actors, found %d", len(in.Actors))
	}
	seen := map[string]int{}
	for i, a := range in.Actors {
		p := fmt.Sprintf("actors[%d]", i)
		if a.Name == "" {
			add(p+".name", "the actor needs a name")
		} else if j, ok := seen[a.Name]; ok {
			add(p+".name", "actor %q is named twice (also actors[%d])", a.Name, j)
		} else {
			seen[a.Name] = i
		}
		if !finite(a.Capability) || a.Capability <= 0 {
			add(p+".capability", "capability must be a positive number, got %g", a.Capability)
		}
		if len(a.Position) != nd {
			add(p+".position", "expected %d positions, one per dimension, got %d", nd, len(a.Position))
		}
		if len(a.Salience) != nd {
			add(p+".salience", "expected %d saliences, one per dimension, got %d", nd, len(a.Salience))
		}
		for k, x := range a.Position {
			if !finite(x) {
				add(fmt.Sprintf("%s.position[%d]", p, k), "position must be a finite number, got %g", x)
			} else if k < nd && in.Dimensions[k].Bounded && (x < in.Dimensions[k].Min || x > in.Dimensions[k].Max) {
				add(fmt.Sprintf("%s.position[%d]", p, k), "position %g is outside the scale of %s, [%g, %g]", x, in.Dimensions[k].Name, in.Dimensions[k].Min, in.Dimensions[k].Max)
			}
		}
		sum := 0.0
		for k, s := range a.Salience {
			if !finite(s) || s < 0 || s > 1 {
				add(fmt.Sprintf("%s.salience[%d]", p, k), "salience must be between 0 and 1, got %g", s)
			}
			sum += s
		}
		if sum > 1+salienceTol {
			add(p+".salience", "the saliences sum to %g; an actor's saliences sum to at most 1", sum)
		}
		if nd > 0 && len(a.Salience) == nd && sum <= 0 {
			add(p+".salience", "at least one salience must be positive")
		}
	}
	if in.Accommodation != nil {
		n := len(in.Actors)
		if len(in.Accommodation) != n {
			add("accommodation", "expected %d rows, one per actor, got %d", n, len(in.Accommodation))
		}
		for i, row := range in.Accommodation {
			if len(row) != n {
				add(fmt.Sprintf("accommodation[%d]", i), "expected %d entries, one per actor, got %d", n, len(row))
				continue
			}
			sum := 0.0
			for j, a := range row {
				if !finite(a) || a < 0 || a > 1 {
					add(fmt.Sprintf("accommodation[%d][%d]", i, j), "an adjustment must be between 0 and 1, got %g", a)
				}
				sum += a
			}
			if sum > 1+1e-10 {
				add(fmt.Sprintf("accommodation[%d]", i), "the adjustments of one actor sum to %g; they must sum to at most 1", sum)
			}
		}
	}
	if len(ps) > 0 {
		return &Error{Problems: ps}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// ActorIndex returns the index of the actor called name, or -1.
func (in *Input) ActorIndex(name string) int {
	for i, a := range in.Actors {
		if a.Name == name {
			return i
		}
	}
	return -1
}

// DimensionNames returns the names of the dimensions, in order.
func (in *Input) DimensionNames() []string {
	out := make([]string, len(in.Dimensions))
	for i, d := range in.Dimensions {
		out[i] = d.Name
	}
	return out
}
