package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

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
	p, err := prepareFile(path, env.path(path), write)
	if err != nil {
		return err
	}
	return p.commit()
}

// writeFileAtomic writes the bytes that write produces to path, all or
// nothing: they go to a temporary file in the same directory, which is
// synced and renamed over path only when write, the flush and the close all
// succeed. On any failure, or a panic in write, the temporary file is removed
// and path is left as it was — absent if it did not exist. A new file gets
// mode 0644; a replaced file keeps its mode. A symbolic link at path is
// followed, so the file it points to is replaced, not the link.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	p, err := prepareFile(path, path, write)
	if err != nil {
		return err
	}
	return p.commit()
}

// writeFilesAtomic writes several files, all or none: each is prepared in a
// temporary file first, and only when every one is ready are they renamed
// into place. Keys are paths as the user gave them (resolved against env.Dir).
func writeFilesAtomic(env *Env, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var ready []*pendingFile
	defer func() {
		for _, p := range ready {
			p.abort()
		}
	}()
	for _, n := range names {
		data := files[n]
		p, err := prepareFile(n, env.path(n), func(w io.Writer) error { _, err := w.Write(data); return err })
		if err != nil {
			return err
		}
		ready = append(ready, p)
	}
	for len(ready) > 0 {
		if err := ready[0].commit(); err != nil {
			return err
		}
		ready = ready[1:]
	}
	return nil
}

// writeAll writes a command's result — to stdout when output is "" or "-",
// else to that file — together with its extra files (charts, reports), all
// or nothing: the files first, atomically, and stdout only once they are in place.
func writeAll(env *Env, output string, result []byte, files map[string][]byte) error {
	toStdout := output == "" || output == "-"
	if !toStdout {
		files[output] = result
	}
	if err := writeFilesAtomic(env, files); err != nil {
		return err
	}
	if toStdout {
		_, err := env.Stdout.Write(result)
		return err
	}
	return nil
}

// pendingFile is a complete temporary file waiting to be renamed into place.
type pendingFile struct {
	display, tmp, target string
	done                 bool
}

func (p *pendingFile) commit() error {
	if err := os.Rename(p.tmp, p.target); err != nil {
		p.abort()
		return writeErr(p.display, err)
	}
	p.done = true
	return nil
}

func (p *pendingFile) abort() {
	if !p.done {
		os.Remove(p.tmp)
		p.done = true
	}
}

// writeErr says that display could not be written, without the temporary
// file's name or the absolute path that the operating system's error carries.
func writeErr(display string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return fmt.Errorf("writing %s: %w", display, err)
}

// prepareFile writes a complete temporary file beside path (display is the
// name the user gave, for messages).
func prepareFile(display, path string, write func(io.Writer) error) (_ *pendingFile, err error) {
	target := path
	mode := fs.FileMode(0o644)
	if fi, statErr := os.Lstat(path); statErr == nil {
		if fi.Mode()&fs.ModeSymlink != 0 {
			if resolved, evalErr := filepath.EvalSymlinks(path); evalErr == nil {
				target = resolved
				if fi, statErr = os.Stat(resolved); statErr != nil {
					return nil, writeErr(display, statErr)
				}
			}
		}
		if fi.IsDir() {
			return nil, fmt.Errorf("writing %s: it is a directory", display)
		}
		mode = fi.Mode().Perm()
	}

	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, writeErr(display, err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()

	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, writeErr(display, err)
	}
	if err := f.Chmod(mode); err != nil {
		return nil, writeErr(display, err)
	}
	if err := f.Sync(); err != nil {
		return nil, writeErr(display, err)
	}
	if err := f.Close(); err != nil {
		return nil, writeErr(display, err)
	}
	ok = true
	return &pendingFile{display: display, tmp: tmp, target: target}, nil
}
