package cli

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

func TestStrategiesGolden(t *testing.T) {
	out := mustRun(t, t.TempDir(), "strategies")
	checkGolden(t, "ipd/strategies.golden", []byte(out))
}

func TestStrategiesJSON(t *testing.T) {
	var list []struct {
		Name        string `json:"name"`
		Syntax      string `json:"syntax"`
		Reference   bool   `json:"reference"`
		Description string `json:"description"`
		MemoryDepth *int   `json:"memory_depth"`
		Stochastic  bool   `json:"stochastic"`
		UsesLength  bool   `json:"uses_length"`
		MemoryOne   bool   `json:"memory_one"`
	}
	out := mustRun(t, t.TempDir(), "strategies", "--format", "json")
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	ref, byName := 0, map[string]int{}
	for i, s := range list {
		byName[s.Name] = i
		if s.Reference {
			ref++
		}
		if s.Description == "" {
			t.Errorf("%s has no description", s.Name)
		}
	}
	if ref != 18 || len(list) < 30 {
		t.Errorf("%d strategies, %d of the reference list; want 18 of them and 30 or more in all", len(list), ref)
	}
	tft := list[byName["TitForTat"]]
	if tft.MemoryDepth == nil || *tft.MemoryDepth != 1 || tft.Stochastic || !tft.MemoryOne {
		t.Errorf("TitForTat: %+v", tft)
	}
	if g := list[byName["Grudger"]]; g.MemoryDepth != nil {
		t.Errorf("Grudger's memory depth %v, want null (unbounded)", *g.MemoryDepth)
	}
	if s := list[byName["FirstBySteinAndRapoport"]]; !s.UsesLength {
		t.Error("FirstBySteinAndRapoport does not use the length")
	}
	if r := list[byName["Random"]]; r.Syntax != "Random(p)" || !r.Stochastic {
		t.Errorf("Random: %+v", r)
	}
}

func TestStrategiesCSV(t *testing.T) {
	out := mustRun(t, t.TempDir(), "strategies", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "name" || rows[1][0] != "Cooperator" || rows[4][4] != "inf" {
		t.Errorf("rows %v", rows[:5])
	}
}
