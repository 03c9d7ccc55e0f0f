package store

import (
	"errors"
	"path/filepath"
)

// DefaultFile is the name of the database file in the data directory.
const DefaultFile = "parley.db"

// DefaultPath returns where parley keeps its database when no --db is given,
// in the user's data directory for the operating system goos:
//
//   - Linux and other Unix: $XDG_DATA_HOME/parley/parley.db, or
//     $HOME/.local/share/parley/parley.db when XDG_DATA_HOME is unset;
//   - macOS: $HOME/Library/Application Support/parley/parley.db;
//   - Windows: %LocalAppData%\parley\parley.db (or %AppData% without it).
//
// getenv looks up environment variables; the caller creates the directory.
func DefaultPath(goos string, getenv func(string) string) (string, error) {
	var dir string
	switch goos {
	case "windows":
		dir = getenv("LocalAppData")
		if dir == "" {
			dir = getenv("AppData")
		}
		if dir == "" {
			return "", errors.New("neither %LocalAppData% nor %AppData% is set; choose a database file with --db")
		}
	case "darwin", "ios":
		home := getenv("HOME")
		if home == "" {
			return "", errors.New("$HOME is not set; choose a database file with --db")
		}
		dir = filepath.Join(home, "Library", "Application Support")
	default:
		dir = getenv("XDG_DATA_HOME")
		if dir == "" || !filepath.IsAbs(dir) {
			// the XDG specification says to ignore a relative path
			home := getenv("HOME")
			if home == "" {
				return "", errors.New("neither $XDG_DATA_HOME nor $HOME is set; choose a database file with --db")
			}
			dir = filepath.Join(home, ".local", "share")
		}
	}
	return filepath.Join(dir, "parley", DefaultFile), nil
}
