package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// Bucket names.
var (
	bucketMeta       = []byte("meta")
	bucketEvents     = []byte("events")
	bucketAudit      = []byte("security_audit_events")
	bucketSettings   = []byte("settings")
	bucketBackupRuns = []byte("backup_runs")
)

// Keys in the meta bucket.
var (
	keySchemaVersion = []byte("schema_version")
	keyCreatedAt     = []byte("created_at")
	keyAuditHead     = []byte("audit_head")
)

// itob encodes an id as an 8-byte big-endian key so keys sort numerically.
func itob(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// btoi decodes a key written by itob.
func btoi(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// encode marshals v (which must encode as a JSON object) and prefixes the
// record version: {"v":version,...}.
func encode(version int, v any) ([]byte, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if len(body) < 2 || body[0] != '{' {
		return nil, fmt.Errorf("encode: %T is not a JSON object", v)
	}
	out := make([]byte, 0, len(body)+8)
	out = append(out, `{"v":`...)
	out = strconv.AppendInt(out, int64(version), 10)
	if len(body) > 2 {
		out = append(out, ',')
		out = append(out, body[1:]...)
	} else {
		out = append(out, '}')
	}
	return out, nil
}

// decode reads a value written by encode into v and returns its version.
// Versions above max are refused: they were written by a newer Parley.
func decode(data []byte, max int, v any) (int, error) {
	version, err := recordVersion(data)
	if err != nil {
		return 0, err
	}
	if version > max {
		return version, fmt.Errorf("record version %d is newer than supported %d", version, max)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return version, fmt.Errorf("decode record: %w", err)
	}
	return version, nil
}

// recordVersion reads N from the {"v":N prefix without parsing the record.
func recordVersion(data []byte) (int, error) {
	const prefix = `{"v":`
	if !bytes.HasPrefix(data, []byte(prefix)) {
		return 0, fmt.Errorf("record has no version prefix")
	}
	rest := data[len(prefix):]
	end := bytes.IndexAny(rest, ",}")
	if end <= 0 {
		return 0, fmt.Errorf("record has a malformed version")
	}
	n, err := strconv.Atoi(string(rest[:end]))
	if err != nil || n < 1 {
		return 0, fmt.Errorf("record has a malformed version %q", rest[:end])
	}
	return n, nil
}

// lastBefore positions c on the newest key below before (before == 0 means
// the newest key of all), for newest-first paging with c.Prev.
func lastBefore(c *bolt.Cursor, before uint64) ([]byte, []byte) {
	if before == 0 {
		return c.Last()
	}
	if k, _ := c.Seek(itob(before)); k == nil {
		return c.Last()
	}
	return c.Prev()
}
