package scenario

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

const formatDoc = "../docs/scenario-format.md"

// TestDocExampleLoads loads the complete example at the end of the format
// reference, so that the page cannot drift from the loader.
func TestDocExampleLoads(t *testing.T) {
	doc, err := os.ReadFile(formatDoc)
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) == 0 {
		t.Fatal("no yaml example in the format reference")
	}
	last := blocks[len(blocks)-1][1]
	s, err := Load("example in "+formatDoc, last)
	if err != nil {
		t.Fatalf("the complete example does not load:\n%v", err)
	}
	tiny, err := Builtin("tiny")
	if err != nil {
		t.Fatal(err)
	}
	tiny.Description = ""
	if !reflect.DeepEqual(s, tiny) {
		t.Errorf("the complete example differs from the built-in tiny")
	}
}

// TestDocListsEveryKey checks that the format reference has a table row for
// every key of the Go types.
func TestDocListsEveryKey(t *testing.T) {
	doc, err := os.ReadFile(formatDoc)
	if err != nil {
		t.Fatal(err)
	}
	for typ := range nouns {
		for _, f := range yamlFields(typ) {
			if !strings.Contains(string(doc), "| `"+f.name+"` |") {
				t.Errorf("%s: key %q has no row in %s", typ.Name(), f.name, formatDoc)
			}
		}
	}
}
