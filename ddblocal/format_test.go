package ddblocal

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// setFormat writes version (nil: none) into the data file of dir, closed.
func setFormat(t *testing.T, dir string, version []byte) {
	t.Helper()
	b, err := bolt.Open(filepath.Join(dir, dataFile), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	err = b.Update(func(tx *bolt.Tx) error {
		if version == nil {
			return tx.DeleteBucket(formatBucket)
		}
		fb, err := tx.CreateBucketIfNotExists(formatBucket)
		if err != nil {
			return err
		}
		return fb.Put(formatKey, version)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// formatOf reads the version stamped in dir's data file.
func formatOf(t *testing.T, dir string) string {
	t.Helper()
	b, err := bolt.Open(filepath.Join(dir, dataFile), 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var v string
	b.View(func(tx *bolt.Tx) error {
		if fb := tx.Bucket(formatBucket); fb != nil {
			v = string(fb.Get(formatKey))
		}
		return nil
	})
	return v
}

func TestDataFileFormatVersion(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir, Options{TTLInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if v := formatOf(t, dir); v != strconv.Itoa(FormatVersion) {
		t.Fatalf("a new file is stamped %q, want %d", v, FormatVersion)
	}

	// A file written before versions were stamped is layout 1: stamped so.
	setFormat(t, dir, nil)
	db, err = Open(dir, Options{TTLInterval: -1})
	if err != nil {
		t.Fatalf("an unstamped file: %v", err)
	}
	db.Close()
	if v := formatOf(t, dir); v != "1" {
		t.Fatalf("an unstamped file is stamped %q, want 1", v)
	}

	for version, want := range map[string]string{
		strconv.Itoa(FormatVersion + 1): "written by a newer ddbsql",
		"0":                             "which this ddbsql (version 1) cannot read",
		"x":                             "is not a number",
	} {
		setFormat(t, dir, []byte(version))
		_, err := Open(dir, Options{TTLInterval: -1})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), dir) {
			t.Errorf("format %s: %v; want an error naming the directory and saying %q", version, err, want)
		}
		if v := formatOf(t, dir); v != version {
			t.Errorf("format %s: the refused file now says %q", version, v)
		}
	}
}
