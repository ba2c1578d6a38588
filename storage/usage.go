package storage

import (
	bolt "go.etcd.io/bbolt"
)

// Buckets of schema version 7 (per-account usage counters).
var bucketAccountUsage = []byte("account_usage")

func migrateV7(tx *bolt.Tx) error { return createBuckets(tx, bucketAccountUsage) }

func usageKey(accountID uint64, counter string) []byte {
	return append(itob(accountID), counter...)
}

// AccountUsage reads one of an account's counters (e.g. "notes:2026-12",
// the invite notes sent in December 2026 in the account's time zone).
func (t *Tx) AccountUsage(accountID uint64, counter string) int {
	return int(btoi(t.b.Bucket(bucketAccountUsage).Get(usageKey(accountID, counter))))
}

// AddAccountUsage adds n to one of an account's counters.
func (t *Tx) AddAccountUsage(accountID uint64, counter string, n int) error {
	b := t.b.Bucket(bucketAccountUsage)
	k := usageKey(accountID, counter)
	return b.Put(k, itob(uint64(max(int(btoi(b.Get(k)))+n, 0))))
}
