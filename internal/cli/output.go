package cli

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

// addOutputFlag registers -o/--output on cmd, storing the path in p; empty
// or "-" means standard output. Pair it with [writeOutput].
func addOutputFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVarP(p, "output", "o", "", "write the result to this file instead of standard output")
}

// writeOutput sends what write produces to path, resolved against env.Dir,
// or to env.Stdout when path is empty or "-". A file is replaced atomically
// and only if write succeeds (see [writeFileAtomic]), so call it once the
// result is known.
func writeOutput(env *Env, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(env.Stdout)
	}
	return writeFileAtomic(env.path(path), write)
}

// writeFileAtomic writes the bytes that write produces to path, all or
// nothing: they go to a temporary file in the same directory, which is
// synced and renamed over path only when write, the flush and the close all
// succeed. On any failure, or a panic in write, the temporary file is removed
// and path is left as it was — absent if it did not exist. A new file gets
// mode 0644; a replaced file keeps its mode. A symbolic link at path is
// followed, so the file it points to is replaced, not the link.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	target := path
	mode := fs.FileMode(0o644)
	if fi, statErr := os.Lstat(path); statErr == nil {
		if fi.Mode()&fs.ModeSymlink != 0 {
			if resolved, evalErr := filepath.EvalSymlinks(path); evalErr == nil {
				target = resolved
				if fi, statErr = os.Stat(resolved); statErr != nil {
					return fmt.Errorf("writing %s: %w", path, statErr)
				}
			}
		}
		if fi.IsDir() {
			return fmt.Errorf("writing %s: it is a directory", path)
		}
		mode = fi.Mode().Perm()
	}

	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	committed := false
	defer func() {
		if !committed {
			f.Close()
			os.Remove(tmp)
		}
	}()

	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Chmod(mode); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	committed = true
	return nil
}
