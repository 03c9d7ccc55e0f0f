package forecast

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadShippedFiles(t *testing.T) {
	tests := []struct {
		file          string
		format        Format
		actors, dims  int
		firstDim      string
		first         Actor
		smp, accommod bool
	}{
		{"ktab/dummyData_3Dim.csv", FormatKTABCSV, 7, 3, "Pstn1",
			Actor{Name: "SActor-00", Description: "Random Spatial Actor", Capability: 102.543, Position: []float64{75.79, 6.37, 70.45}, Salience: []float64{0.4953, 0.0591, 0.2815}}, false, false},
		{"ktab/SOE-Pol-Comp.csv", FormatKTABCSV, 13, 2, "Policy Position",
			Actor{Name: "XJ", Description: "Xi Jinping", Capability: 100, Position: []float64{30, 20}, Salience: []float64{0.24, 0.48}}, false, false},
		{"ktab/SOE-Policy.csv", FormatKTABCSV, 26, 1, "Policy Position",
			Actor{Name: "XJ", Description: "Xi Jinping", Capability: 100, Position: []float64{30}, Salience: []float64{0.30}}, false, false},
		{"ktab/SOE-Competitive.csv", FormatKTABCSV, 34, 1, "Competitive Position",
			Actor{Name: "XJ", Description: "Xi Jinping", Capability: 100, Position: []float64{20}, Salience: []float64{0.60}}, false, false},
		{"ktab/dummyData_6Dim.csv", FormatKTABCSV, 27, 6, "Dim0 Position",
			Actor{Name: "AA00", Description: "Actor 00", Capability: 99.98, Position: []float64{50, 62.5, 62.5, 100, 75, 80}, Salience: []float64{0.08, 0.10, 0.08, 0.2799, 0.2799, 0.18}}, false, false},
		{"ktab/dummyData-a040.csv", FormatKTABCSV, 40, 1, "XYZ Position",
			Actor{Name: "Act-1001", Description: "Desc-1001", Capability: 1.73, Position: []float64{63.03}, Salience: []float64{0.4331}}, false, false},
		{"ktab/smpExample_alice52.8.xml", FormatKTABXML, 5, 3, "FirstDim",
			Actor{Name: "Alice", Description: "One of the SMP actors", Capability: 117.7, Position: []float64{52.8, 39.8, 39.6}, Salience: []float64{0.323, 0.224, 0.134}}, true, true},
		{"bdm1d/eu_emissions_bdm1994.csv", FormatTable, 10, 1, "position",
			Actor{Name: "Netherlands", Capability: 0.08, Position: []float64{4}, Salience: []float64{0.8}}, false, false},
		{"bdm1d/china_dmasad.csv", FormatTable, 24, 1, "position",
			Actor{Name: "Zeming", Capability: 80, Position: []float64{25}, Salience: []float64{0.5}}, false, false},
		{"bdm1d/honduras_dmasad.csv", FormatTable, 5, 1, "position",
			Actor{Name: "Nicaragua", Capability: 0.0001958, Position: []float64{1}, Salience: []float64{1}}, false, false},
		{"bdm1d/sultan_jmckib.csv", FormatTable, 17, 1, "position",
			Actor{Name: "HAWKS", Capability: 0.65, Position: []float64{14.25}, Salience: []float64{0.8}}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			in, err := ReadFile(filepath.Join("testdata", tt.file), "")
			if err != nil {
				t.Fatal(err)
			}
			if in.Format != tt.format || len(in.Actors) != tt.actors || len(in.Dimensions) != tt.dims || in.Dimensions[0].Name != tt.firstDim {
				t.Fatalf("got format %s, %d actors, %d dimensions, first %q; want %s, %d, %d, %q",
					in.Format, len(in.Actors), len(in.Dimensions), in.Dimensions[0].Name, tt.format, tt.actors, tt.dims, tt.firstDim)
			}
			a := in.Actors[0]
			if a.Name != tt.first.Name || a.Description != tt.first.Description || a.Capability != tt.first.Capability {
				t.Errorf("first actor %q %q %g, want %q %q %g", a.Name, a.Description, a.Capability, tt.first.Name, tt.first.Description, tt.first.Capability)
			}
			for k := range tt.first.Position {
				if a.Position[k] != tt.first.Position[k] || !near(a.Salience[k], tt.first.Salience[k], 1e-15) {
					t.Errorf("dimension %d: position %g salience %g, want %g %g", k, a.Position[k], a.Salience[k], tt.first.Position[k], tt.first.Salience[k])
				}
			}
			if (in.SMP != nil) != tt.smp || (in.Accommodation != nil) != tt.accommod {
				t.Errorf("SMP parameters %v, accommodation %v", in.SMP, in.Accommodation)
			}
		})
	}
}

func near(a, b, tol float64) bool { return a-b <= tol && b-a <= tol }

func TestReadXMLParameters(t *testing.T) {
	in, err := ReadFile("testdata/ktab/smpExample_alice52.8.xml", "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"VictoryProbModel": "Linear", "PCEModel": "MarkovIncentive", "StateTransitions": "Stochastic",
		"VotingRule": "PropCbc", "BigRAdjust": "OneThird", "BigRRange": "Mid", "ThirdPartyCommit": "SemiCommit",
		"InterVecBrgn": "S2P2", "BargnModel": "InitOnlyInterp"}
	for k, v := range want {
		if in.SMP[k] != v {
			t.Errorf("%s = %q, want %q", k, in.SMP[k], v)
		}
	}
	if in.Seed != 3507583219545544127 {
		t.Errorf("seed %d", in.Seed)
	}
	// Alice keeps 0.87 of her own position, Bob 0.75 of his and 0.07 of Alice's, ...
	acc := [][]float64{
		{0.87, 0, 0, 0, 0},
		{0.07, 0.75, 0, 0, 0},
		{0, 0, 0.65, 0.13, 0},
		{0, 0, 0, 0.57, 0},
		{0, 0, 0, 0, 1},
	}
	for i := range acc {
		for j := range acc[i] {
			if in.Accommodation[i][j] != acc[i][j] {
				t.Errorf("accommodation[%d][%d] = %g, want %g", i, j, in.Accommodation[i][j], acc[i][j])
			}
		}
	}
}

func TestReadYAML(t *testing.T) {
	src := `name: EU car emissions
description: when the standards apply
dimensions:
  - name: years
    min: 0
    max: 20
actors:
  - name: Netherlands
    capability: 0.08
    position: 4
    salience: 0.8
  - {name: Belgium, capability: 0.08, position: [7], salience: [0.4]}
`
	in, err := Read("eu.yaml", []byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	if in.Name != "EU car emissions" || len(in.Actors) != 2 || in.Dimensions[0].Name != "years" || !in.Dimensions[0].Bounded || in.Dimensions[0].Max != 20 {
		t.Fatalf("got %+v", in)
	}
	b := in.Actors[1]
	if b.Name != "Belgium" || b.Capability != 0.08 || b.Position[0] != 7 || b.Salience[0] != 0.4 {
		t.Errorf("Belgium read as %+v", b)
	}
}

// TestBadInputs checks that every kind of bad file gives an *Error whose
// problems carry the file, line, column and field wanted.
func TestBadInputs(t *testing.T) {
	const ktabHead = "S,desc,3,2,\nActor,Desc,Power,P1,S1,P2,S2\n"
	tests := []struct {
		name, file, data string
		want             []string // substrings of the problems, in order
	}{
		{"ktab position out of range", "a.csv", ktabHead + "A,a,10,50,40,50,40\nB,b,10,150,40,50,40\nC,c,10,50,40,50,40\n",
			[]string{"a.csv:4:8: B.P1: position 150 is outside 0-100"}},
		{"ktab salience sum", "a.csv", ktabHead + "A,a,10,50,60,50,41\nB,b,10,50,40,50,40\nC,c,10,50,40,50,40\n",
			[]string{"a.csv:3:11: A: the saliences sum to 101; an actor's saliences must sum to at most 100"}},
		{"ktab negative salience", "a.csv", ktabHead + "A,a,10,50,-1,50,41\nB,b,10,50,40,50,40\nC,c,10,50,40,50,40\n",
			[]string{"a.csv:3:11: A.S1: salience -1 is outside 0-100"}},
		{"ktab not a number", "a.csv", ktabHead + "A,a,ten,50,40,50,40\nB,b,10,50,40,50,40\nC,c,10,50,40,50,40\n",
			[]string{`a.csv:3:5: A.Power: "ten" is not a number`}},
		{"ktab zero capability", "a.csv", ktabHead + "A,a,0,50,40,50,40\nB,b,10,50,40,50,40\nC,c,10,50,40,50,40\n",
			[]string{"a.csv:3:5: A.Power: capability must be a positive number, got 0"}},
		{"ktab too few actors", "a.csv", ktabHead + "A,a,10,50,40,50,40\nB,b,10,50,40,50,40\n",
			[]string{"a.csv:3:1: line 1 says 3 actors but the file has 2 actor rows"}},
		{"ktab too many actors", "a.csv", ktabHead + "A,a,10,50,40,50,40\nB,b,10,50,40,50,40\nC,c,10,50,40,50,40\nD,d,10,50,40,50,40\n",
			[]string{"a.csv:6:1: line 1 says 3 actors but the file has 4 actor rows"}},
		{"ktab short row", "a.csv", ktabHead + "A,a,10,50,40,50\nB,b,10,50,40,50,40\nC,c,10,50,40,50,40\n",
			[]string{"a.csv:3:", "an actor row needs 7 fields"}},
		{"ktab header count", "a.csv", "S,desc,3,2,\nActor,Desc,Power,P1,S1\n",
			[]string{"a.csv:2:1: the header has 5 columns but line 1 says 2 dimensions, which need 7"}},
		{"ktab bad count", "a.csv", "S,desc,0,2,\n",
			[]string{`a.csv:1:8: the number of actors must be a whole number, at least 1; got "0"`}},
		{"ktab duplicate actor", "a.csv", ktabHead + "A,a,10,50,40,50,40\nA,b,10,50,40,50,40\nC,c,10,50,40,50,40\n",
			[]string{`a.csv:4:1: A.Actor: actor "A" is named twice (also actors[0])`}},
		{"ktab csv syntax", "a.csv", ktabHead + "A,\"a,10,50,40,50,40\nB,b,10,50,40,50,40\n",
			[]string{"a.csv:", "CSV syntax"}},
		{"table salience range", "t.csv", "Actor,Capability,Position,Salience\nA,1,4,50\nB,1,5,120\n",
			[]string{"t.csv:3:7: B.Salience: salience 120 is outside 0-100"}},
		{"table missing column", "t.csv", "Actor,Capability,Position\nA,1,4\n",
			[]string{"t.csv:1:1: the header has no salience column"}},
		{"table unknown column", "t.csv", "Actor,Capability,Position,Salience,Mood\nA,1,4,1,x\n",
			[]string{`t.csv:1:36: unknown column "Mood"`}},
		{"table one actor", "t.csv", "Actor,Capability,Position,Salience\nA,1,4,0.5\n",
			[]string{"t.csv: actors: there must be at least two actors, found 1"}},
		{"xml empty coordinate", "x.xml", "<Scenario><Dimensions><dName>D</dName></Dimensions><Actors>\n<Actor><name>A</name><description/><capability>1</capability><Position><dCoord></dCoord></Position><Salience><dSal>10</dSal></Salience></Actor>\n</Actors></Scenario>",
			[]string{"x.xml:2:72: Actors.Actor[0].Position.dCoord[0]: <dCoord> is empty; expected a number"}},
		{"xml salience sum", "x.xml", "<Scenario><Dimensions><dName>D</dName><dName>E</dName></Dimensions><Actors>\n<Actor><name>A</name><capability>1</capability><Position><dCoord>1</dCoord><dCoord>2</dCoord></Position>\n<Salience><dSal>60</dSal><dSal>50</dSal></Salience></Actor>\n<Actor><name>B</name><capability>1</capability><Position><dCoord>1</dCoord><dCoord>2</dCoord></Position><Salience><dSal>10</dSal><dSal>50</dSal></Salience></Actor>\n</Actors></Scenario>",
			[]string{"x.xml:3:1: Actors.Actor[0].Salience: the saliences sum to 110"}},
		{"xml count", "x.xml", "<Scenario><Dimensions><dName>D</dName><dName>E</dName></Dimensions><Actors>\n<Actor><name>A</name><capability>1</capability><Position><dCoord>1</dCoord></Position><Salience><dSal>6</dSal><dSal>5</dSal></Salience></Actor>\n</Actors></Scenario>",
			[]string{"x.xml:2:48: Actors.Actor[0].Position: expected 2 <dCoord>, one per dimension, found 1"}},
		{"xml parameter", "x.xml", "<Scenario><ModelParameters><VictoryProbModel>Cubic</VictoryProbModel></ModelParameters></Scenario>",
			[]string{"x.xml:1:28: ModelParameters.VictoryProbModel: unknown value \"Cubic\""}},
		{"xml unknown actor", "x.xml", "<Scenario><Dimensions><dName>D</dName></Dimensions><Actors>\n<Actor><name>A</name><capability>1</capability><Position><dCoord>1</dCoord></Position><Salience><dSal>6</dSal></Salience></Actor>\n<Actor><name>B</name><capability>1</capability><Position><dCoord>1</dCoord></Position><Salience><dSal>6</dSal></Salience></Actor>\n</Actors><IdealAdjustment><iaPair><adjustingIdeal>A</adjustingIdeal><referencePos>Zed</referencePos><adjust>0.5</adjust></iaPair></IdealAdjustment></Scenario>",
			[]string{`x.xml:4:69: IdealAdjustment.iaPair[0].referencePos: no actor is called "Zed"`}},
		{"xml syntax", "x.xml", "<Scenario>\n<name>x</nam>\n</Scenario>",
			[]string{"x.xml:2: XML syntax"}},
		{"yaml unknown key", "y.yaml", "actors:\n  - name: A\n    capability: 1\n    position: 1\n    salience: 0.5\n    mood: calm\n  - {name: B, capability: 1, position: 2, salience: 0.5}\n",
			[]string{"y.yaml:6:5: actors[0].mood: unknown key"}},
		{"yaml salience range", "y.yaml", "actors:\n  - name: A\n    capability: 1\n    position: 1\n    salience: 1.5\n  - {name: B, capability: 1, position: 2, salience: 0.5}\n",
			[]string{"y.yaml:5:15: actors[0].salience: salience must be between 0 and 1, got 1.5"}},
		{"yaml salience sum", "y.yaml", "dimensions: [{name: a}, {name: b}]\nactors:\n  - name: A\n    capability: 1\n    position: [1, 2]\n    salience: [0.5, 0.6]\n  - {name: B, capability: 1, position: [2, 3], salience: [0.5, 0.1]}\n",
			[]string{"y.yaml:6:15: actors[0].salience: the saliences sum to 1.1"}},
		{"yaml wrong count", "y.yaml", "dimensions: [{name: a}, {name: b}]\nactors:\n  - name: A\n    capability: 1\n    position: [1]\n    salience: [0.5, 0.1]\n  - {name: B, capability: 1, position: [2, 3], salience: [0.5, 0.1]}\n",
			[]string{"y.yaml:5:15: actors[0].position: expected 2 positions, one per dimension, got 1"}},
		{"yaml out of scale", "y.yaml", "dimensions: [{name: a, min: 0, max: 10}]\nactors:\n  - name: A\n    capability: 1\n    position: 11\n    salience: 0.5\n  - {name: B, capability: 1, position: 2, salience: 0.5}\n",
			[]string{"y.yaml:5:15: actors[0].position: position 11 is outside the scale of a, [0, 10]"}},
		{"yaml missing", "y.yaml", "actors:\n  - name: A\n    position: 1\n    salience: 0.5\n  - {name: B, capability: 1, position: 2, salience: 0.5}\n",
			[]string{"y.yaml:2:5: actors[0]: missing capability"}},
		{"yaml syntax", "y.yaml", "actors: [\n", []string{"y.yaml:", "YAML syntax"}},
		{"empty", "e.csv", "", []string{"e.csv: the file is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(tt.file, []byte(tt.data), "")
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want an *Error", err)
			}
			msg := err.Error()
			rest := msg
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error\n%s\ndoes not contain %q (in order)", msg, w)
				}
				rest = rest[i+len(w):]
			}
			for _, p := range e.Problems {
				if p.File != tt.file {
					t.Errorf("problem %q names file %q", p, p.File)
				}
			}
		})
	}
}

func TestValidateInGo(t *testing.T) {
	in := &Input{
		Dimensions: []Dimension{{Name: "x"}},
		Actors: []Actor{
			{Name: "A", Capability: 1, Position: []float64{1}, Salience: []float64{0.5}},
			{Name: "B", Capability: -1, Position: []float64{2}, Salience: []float64{0}},
		},
	}
	err := Validate(in)
	want := "actors[1].capability: capability must be a positive number, got -1\nactors[1].salience: at least one salience must be positive"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		name, data string
		want       Format
	}{
		{"a.xml", "", FormatKTABXML},
		{"a.yml", "", FormatYAML},
		{"a.csv", "S, d, 3, 1,\n", FormatKTABCSV},
		{"a.csv", "Actor,Capability,Position,Salience\n", FormatTable},
		{"a.txt", "<Scenario/>", FormatKTABXML},
		{"-", "actors: []", FormatYAML},
	}
	for _, tt := range tests {
		if got := DetectFormat(tt.name, []byte(tt.data)); got != tt.want {
			t.Errorf("DetectFormat(%q, %q) = %s, want %s", tt.name, tt.data, got, tt.want)
		}
	}
}
