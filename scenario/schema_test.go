package scenario

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

const schemaURL = "https://github.com/parleyhq/parley/scenario/parley.schema.json"

func compileSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(schemaURL)
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	return sch
}

// instance converts YAML (or JSON) text to a value the schema validator reads.
func instance(data []byte) (any, error) {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	j, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(j))
}

// TestSchemaMatchesGoTypes walks the Go types by their yaml tags alongside
// the schema: every field must be a property at the matching place with a
// matching JSON type, every property a field, and the required keys must be
// the fields without omitempty.
func TestSchemaMatchesGoTypes(t *testing.T) {
	var root map[string]any
	if err := json.Unmarshal(Schema(), &root); err != nil {
		t.Fatal(err)
	}
	if root["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v, want draft 2020-12", root["$schema"])
	}
	if root["$id"] != schemaURL {
		t.Errorf("$id = %v, want %s", root["$id"], schemaURL)
	}
	defs, _ := root["$defs"].(map[string]any)
	resolve := func(path string, n any) map[string]any {
		node, ok := n.(map[string]any)
		for range 10 {
			if !ok {
				t.Fatalf("%s: no schema", path)
			}
			ref, has := node["$ref"].(string)
			if !has {
				return node
			}
			name, found := strings.CutPrefix(ref, "#/$defs/")
			if !found {
				t.Fatalf("%s: unexpected $ref %q", path, ref)
			}
			node, ok = defs[name].(map[string]any)
		}
		t.Fatalf("%s: $ref loop", path)
		return nil
	}
	enums := map[string][]string{
		"disposition":   {string(Reciprocator), string(Opportunist), string(Hardliner)},
		"order":         {OrderSimultaneous, OrderSequential},
		"reciprocation": {ReciprocationRequired, ReciprocationInvited},
		"align":         {AlignFirst, AlignLast},
	}
	var walk func(typ reflect.Type, n any, path, field string)
	walk = func(typ reflect.Type, n any, path, field string) {
		node := resolve(path, n)
		switch typ {
		case reflect.TypeFor[Rationality]():
			if !reflect.DeepEqual(node, defs["rationality"]) {
				t.Errorf("%s: want the rationality definition", path)
			}
			return
		case reflect.TypeFor[Response]():
			if !reflect.DeepEqual(node, defs["response"]) {
				t.Errorf("%s: want the response definition", path)
			}
			return
		}
		switch typ.Kind() {
		case reflect.Pointer:
			walk(typ.Elem(), n, path, field)
		case reflect.Struct:
			if node["type"] != "object" || node["additionalProperties"] != false {
				t.Errorf("%s: type %v, additionalProperties %v; want an object with additionalProperties false", path, node["type"], node["additionalProperties"])
			}
			props, _ := node["properties"].(map[string]any)
			var names, required []string
			for f := range typ.Fields() {
				name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
				names = append(names, name)
				if !slices.Contains(strings.Split(opts, ","), "omitempty") {
					required = append(required, name)
				}
				p, ok := props[name]
				if !ok {
					t.Errorf("%s: Go field %s (%q) is missing from the schema", path, f.Name, name)
					continue
				}
				walk(f.Type, p, path+"."+name, name)
			}
			for name := range props {
				if !slices.Contains(names, name) {
					t.Errorf("%s: schema property %q has no Go field", path, name)
				}
			}
			var schemaRequired []string
			if rs, ok := node["required"].([]any); ok {
				for _, r := range rs {
					schemaRequired = append(schemaRequired, r.(string))
				}
			}
			slices.Sort(required)
			slices.Sort(schemaRequired)
			if !slices.Equal(required, schemaRequired) {
				t.Errorf("%s: required %v in the schema, %v in Go (fields without omitempty)", path, schemaRequired, required)
			}
		case reflect.Slice:
			if node["type"] != "array" {
				t.Errorf("%s: type %v, want array", path, node["type"])
			}
			walk(typ.Elem(), node["items"], path+"[]", field)
		case reflect.Map:
			if node["type"] != "object" || node["propertyNames"] == nil {
				t.Errorf("%s: want an object with propertyNames (ids)", path)
			}
			walk(typ.Elem(), node["additionalProperties"], path+".*", field)
		case reflect.Float64:
			if node["type"] != "number" {
				t.Errorf("%s: type %v, want number", path, node["type"])
			}
		case reflect.Int:
			if node["type"] != "integer" {
				t.Errorf("%s: type %v, want integer", path, node["type"])
			}
		case reflect.Bool:
			if node["type"] != "boolean" {
				t.Errorf("%s: type %v, want boolean", path, node["type"])
			}
		case reflect.String:
			want, isEnum := enums[field]
			if strings.HasSuffix(path, "[]") || strings.HasSuffix(path, ".*") {
				isEnum = false
			}
			if !isEnum {
				if node["type"] != "string" {
					t.Errorf("%s: type %v, want string", path, node["type"])
				}
				return
			}
			var got []string
			for _, e := range node["enum"].([]any) {
				got = append(got, e.(string))
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: enum %v, want %v", path, got, want)
			}
		default:
			t.Errorf("%s: Go kind %v not handled by the test", path, typ.Kind())
		}
	}
	walk(reflect.TypeFor[Scenario](), root, "scenario", "")

	// The response forms.
	resp := defs["response"].(map[string]any)["oneOf"].([]any)
	var kinds []string
	for _, k := range resp[0].(map[string]any)["enum"].([]any) {
		kinds = append(kinds, k.(string))
	}
	if want := []string{string(Grim), string(TitForTat), string(Generous), string(Patient)}; !slices.Equal(kinds, want) {
		t.Errorf("response names %v, want %v", kinds, want)
	}
	for i, key := range []string{string(Generous), string(Patient)} {
		form := resp[i+1].(map[string]any)
		if _, ok := form["properties"].(map[string]any)[key]; !ok || form["additionalProperties"] != false {
			t.Errorf("response form %d should be {%s: ...} alone", i+1, key)
		}
	}
}

func TestSchemaAcceptsGoodFiles(t *testing.T) {
	sch := compileSchema(t)
	sources := map[string][]byte{}
	for _, path := range goodFiles(t) {
		sources[path] = readFile(t, path)
	}
	for _, name := range BuiltinNames() {
		src, _ := BuiltinSource(name)
		sources["builtin/"+name+".yaml"] = src
	}
	for name, src := range sources {
		inst, err := instance(src)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: schema rejects it:\n%v", name, err)
		}
		// The JSON written for the loaded scenario (defaults filled in) is
		// in the file form too.
		s, err := Load(name, src)
		if err != nil {
			continue // reported by the loading tests
		}
		j, err := json.Marshal(s)
		if err != nil {
			t.Errorf("%s: json.Marshal: %v", name, err)
			continue
		}
		inst, err = jsonschema.UnmarshalJSON(bytes.NewReader(j))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: schema rejects the JSON of the loaded scenario:\n%v\n%s", name, err, j)
		}
	}
}

// schemaCannotSee lists the bad files whose problems are all cross-references
// that only Validate checks; the schema must reject every other bad file
// that is a YAML mapping.
var schemaCannotSee = []string{
	"beliefs.yaml", "duplicate-ids.yaml", "horizon-phases.yaml", "horizon-tranches.yaml",
	"move-used-twice.yaml", "priors-sum.yaml", "self-benefit.yaml", "sequence-no-move.yaml",
	"type-overrides.yaml", "unknown-actor.yaml", "unknown-move.yaml",
	"response-strategy.yaml", // the catalogue of strategies is not in the schema
}

// notYAMLMappings lists the bad files that have no one-document form to
// validate, or that cannot be converted to JSON (NaN, an alias without anchor).
var notYAMLMappings = []string{
	"comments-only.yaml", "empty.yaml", "infinities.yaml", "two-documents.yaml", "yaml-features.yaml",
	"syntax-duplicate-key.yaml", "syntax-indentation.yaml", "syntax-tab.yaml",
	"syntax-unclosed-list.yaml", "syntax-unterminated-string.yaml",
}

func TestSchemaRejectsBadFiles(t *testing.T) {
	sch := compileSchema(t)
	for _, tc := range badFiles {
		if slices.Contains(notYAMLMappings, tc.file) {
			continue
		}
		inst, err := instance(readFile(t, filepath.Join("testdata", "bad", tc.file)))
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		err = sch.Validate(inst)
		if slices.Contains(schemaCannotSee, tc.file) {
			if err != nil {
				t.Errorf("%s: the schema rejects it; move it out of schemaCannotSee?\n%v", tc.file, err)
			}
		} else if err == nil {
			t.Errorf("%s: the schema accepts it, but Load rejects it with:\n%s", tc.file, tc.want)
		}
	}
}

func TestSchemaIsACopy(t *testing.T) {
	a := Schema()
	a[0] = 'x'
	if Schema()[0] != '{' {
		t.Errorf("changing the result of Schema changed the schema")
	}
}
