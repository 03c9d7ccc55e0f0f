package forecast

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ReadFile reads the file at path with [Read], naming it by path in
// messages. A file that cannot be read gives the file system's error, not
// an *Error.
func ReadFile(path string, f Format) (*Input, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Read(path, data, f)
}

// Read parses data in format f, or, when f is empty, in the format
// [DetectFormat] finds. name stands for the file in messages.
func Read(name string, data []byte, f Format) (*Input, error) {
	if f == "" {
		f = DetectFormat(name, data)
	}
	switch f {
	case FormatKTABCSV:
		return ReadKTABCSV(name, data)
	case FormatKTABXML:
		return ReadKTABXML(name, data)
	case FormatTable:
		return ReadTable(name, data)
	case FormatYAML:
		return ReadYAML(name, data)
	}
	return nil, fmt.Errorf("unknown input format %q; known formats: %s", f, formatList())
}

func formatList() string {
	s := make([]string, len(Formats))
	for i, f := range Formats {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// ParseFormat returns the format called s.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown input format %q; known formats: %s", s, formatList())
}

// DetectFormat guesses the format of a file from its name and content: .xml
// is KTAB XML, .yaml and .yml are YAML; otherwise content starting with '<'
// is KTAB XML, and a CSV file whose first line carries whole numbers in its
// third and fourth fields (the numbers of actors and dimensions) is KTAB
// CSV. A file with a .csv name that is not KTAB CSV is an actor table; any
// other file is YAML.
func DetectFormat(name string, data []byte) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xml":
		return FormatKTABXML
	case ".yaml", ".yml":
		return FormatYAML
	}
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if bytes.HasPrefix(trimmed, []byte("<")) {
		return FormatKTABXML
	}
	line := trimmed
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	r := csv.NewReader(bytes.NewReader(line))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	if rec, err := r.Read(); err == nil && len(rec) >= 4 {
		_, e1 := strconv.Atoi(strings.TrimSpace(rec[2]))
		_, e2 := strconv.Atoi(strings.TrimSpace(rec[3]))
		if e1 == nil && e2 == nil {
			return FormatKTABCSV
		}
	}
	if strings.ToLower(filepath.Ext(name)) == ".csv" {
		return FormatTable
	}
	return FormatYAML
}
