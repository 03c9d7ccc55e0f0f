package web

import (
	"embed"
	"path"
)

//go:embed examples
var examplesFS embed.FS

// wbExample is an input file (or, for a Genius deal space, three) from the
// repository's test data that a workbench page offers.
type wbExample struct {
	Capability string
	Name       string // how the form and the API name it
	Title      string
	// Files are the files in internal/web/examples; Sources the test data
	// they are copies of, from the repository's root.
	Files   []string
	Sources []string
	// Model is the forecasting model the example's link asks for, or empty.
	Model string
}

var wbExamples = []wbExample{
	{"bargain", "laptop", "Laptop (Genius, as parley YAML)", []string{"bargain/Laptop.yaml"}, []string{"game/bargain/testdata/yaml/Laptop.yaml"}, ""},
	{"bargain", "england-zimbabwe", "England–Zimbabwe (Genius, as parley YAML)", []string{"bargain/EnglandZimbabwe.yaml"}, []string{"game/bargain/testdata/yaml/EnglandZimbabwe.yaml"}, ""},
	{"bargain", "laptop-genius", "Laptop (Genius XML: domain and two profiles)",
		[]string{"bargain/Laptop-C-domain.xml", "bargain/Laptop-C-prof1.xml", "bargain/Laptop-C-prof2.xml"},
		[]string{"game/bargain/testdata/genius/Laptop/Laptop-C-domain.xml", "game/bargain/testdata/genius/Laptop/Laptop-C-prof1.xml", "game/bargain/testdata/genius/Laptop/Laptop-C-prof2.xml"}, ""},
	{"equilibria", "pd", "Prisoner's dilemma", []string{"equilibria/pd.nfg"}, []string{"game/normal/testdata/gambit/pd.nfg"}, ""},
	{"equilibria", "coord2", "Coordination game", []string{"equilibria/coord2.nfg"}, []string{"game/normal/testdata/gambit/coord2.nfg"}, ""},
	{"equilibria", "2x2", "A 2×2 game", []string{"equilibria/2x2.nfg"}, []string{"game/normal/testdata/gambit/2x2.nfg"}, ""},
	{"equilibria", "6x6-75", "A 6×6 game with 75 equilibria", []string{"equilibria/6x6_game_with_75_eq.nfg"}, []string{"game/normal/testdata/gambit/6x6_game_with_75_eq.nfg"}, ""},
	{"equilibria", "2x2x2", "Three players, two strategies each (local max cut)", []string{"equilibria/2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq.nfg"}, []string{"game/normal/testdata/gambit/2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq.nfg"}, ""},
	{"equilibria", "poker", "Stripped-down poker (extensive form)", []string{"equilibria/stripped_down_poker.efg"}, []string{"game/normal/testdata/gambit/stripped_down_poker.efg"}, ""},
	{"forecast", "eu-emissions", "EU emissions (Bueno de Mesquita 1994), one dimension", []string{"forecast/eu_emissions_bdm1994.csv"}, []string{"forecast/testdata/bdm1d/eu_emissions_bdm1994.csv"}, ""},
	{"forecast", "china", "China (dmasad replication), one dimension", []string{"forecast/china_dmasad.csv"}, []string{"forecast/testdata/bdm1d/china_dmasad.csv"}, ""},
	{"forecast", "soe-pol-comp", "KTAB: state-owned enterprises, policy and competition", []string{"forecast/SOE-Pol-Comp.csv"}, []string{"forecast/testdata/ktab/SOE-Pol-Comp.csv"}, "smp"},
	{"forecast", "dummy-3dim", "KTAB: dummy data, three dimensions", []string{"forecast/dummyData_3Dim.csv"}, []string{"forecast/testdata/ktab/dummyData_3Dim.csv"}, "smp"},
	{"forecast", "smp-example", "KTAB: SMP example (XML, with the missing coordinate filled in)", []string{"forecast/smpExample_alice52.8.xml"}, []string{"forecast/testdata/ktab/smpExample_alice52.8.xml"}, "smp"},
}

// examplesOf lists the examples of one capability.
func examplesOf(capability string) []wbExample {
	var out []wbExample
	for _, e := range wbExamples {
		if e.Capability == capability {
			out = append(out, e)
		}
	}
	return out
}

// example returns the named example of a capability and its files' text,
// or a 400 naming the examples there are.
func example(capability, field, name string) (*wbExample, []string, error) {
	var names []string
	for i, e := range wbExamples {
		if e.Capability != capability {
			continue
		}
		names = append(names, e.Name)
		if e.Name != name {
			continue
		}
		texts := make([]string, len(e.Files))
		for k, f := range e.Files {
			b, err := examplesFS.ReadFile(path.Join("examples", f))
			if err != nil {
				return nil, nil, err
			}
			texts[k] = string(b)
		}
		return &wbExamples[i], texts, nil
	}
	return nil, nil, badField(field, "there is no example %q; the examples are %s", name, quoteList(names))
}

func quoteList(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += `"` + n + `"`
	}
	return out
}
