package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes checks that the OpenAPI document describes every
// API route registered and registers nothing it does not describe.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	ts := newServer(t, Config{})
	w := ts.get(t, "/api/v1/openapi.json")
	want(t, w, http.StatusOK)
	var doc struct {
		OpenAPI    string                                `json:"openapi"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components map[string]map[string]any             `json:"components"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi %q, want 3.x", doc.OpenAPI)
	}
	var documented []string
	ops := map[string]bool{}
	for path, item := range doc.Paths {
		for method, raw := range item {
			if method == "parameters" {
				continue
			}
			var op map[string]any
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			documented = append(documented, strings.ToUpper(method)+" "+path)
			id, _ := op["operationId"].(string)
			if id == "" || ops[id] {
				t.Errorf("%s %s: missing or repeated operationId %q", method, path, id)
			}
			ops[id] = true
			if resp, _ := op["responses"].(map[string]any); len(resp) == 0 {
				t.Errorf("%s %s documents no response", method, path)
			}
			// every path parameter is declared
			for _, seg := range strings.Split(path, "/") {
				if strings.HasPrefix(seg, "{") && !strings.Contains(string(item["parameters"]), "#/components/parameters/") {
					t.Errorf("%s %s: parameter %s is not declared", method, path, seg)
				}
			}
		}
	}
	var registered []string
	for _, p := range ts.Routes() {
		if strings.Contains(p, " /api/") {
			registered = append(registered, p)
		}
	}
	slices.Sort(documented)
	slices.Sort(registered)
	for _, p := range registered {
		if !slices.Contains(documented, p) {
			t.Errorf("route %s is not in the OpenAPI document", p)
		}
	}
	for _, p := range documented {
		if !slices.Contains(registered, p) {
			t.Errorf("the OpenAPI document describes %s, which is not registered", p)
		}
	}
	if len(registered) < 18 {
		t.Errorf("only %d API routes", len(registered))
	}
	// every reference resolves
	raw := w.Body.String()
	for _, m := range strings.Split(raw, `"$ref": "#/components/`)[1:] {
		ref := m[:strings.Index(m, `"`)]
		kind, name, _ := strings.Cut(ref, "/")
		if _, ok := doc.Components[kind][name]; !ok {
			t.Errorf("unresolved reference #/components/%s", ref)
		}
	}
}
