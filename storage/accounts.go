package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"parley/app/model"
)

// Buckets of schema version 3 (sender accounts).
var bucketAccounts = []byte("accounts")

func migrateV3(tx *bolt.Tx) error {
	_, err := tx.CreateBucketIfNotExists(bucketAccounts)
	return err
}

const accountVersion = 1

// CreateAccount stores a new account and returns it with its id.
func (t *Tx) CreateAccount(a model.Account) (model.Account, error) {
	id, err := t.b.Bucket(bucketAccounts).NextSequence()
	if err != nil {
		return a, fmt.Errorf("storage: create account: %w", err)
	}
	a.ID = id
	return a, t.PutAccount(a)
}

// PutAccount replaces the account with a.ID.
func (t *Tx) PutAccount(a model.Account) error {
	if a.ID == 0 {
		return fmt.Errorf("storage: put account: missing id")
	}
	val, err := encode(accountVersion, a)
	if err != nil {
		return fmt.Errorf("storage: put account %d: %w", a.ID, err)
	}
	return t.b.Bucket(bucketAccounts).Put(itob(a.ID), val)
}

// Account returns the account with id.
func (t *Tx) Account(id uint64) (model.Account, error) {
	var a model.Account
	v := t.b.Bucket(bucketAccounts).Get(itob(id))
	if v == nil {
		return a, model.Errorf(model.CodeNotFound, "account %d does not exist", id)
	}
	if _, err := decode(v, accountVersion, &a); err != nil {
		return a, fmt.Errorf("storage: account %d: %w", id, err)
	}
	return a, nil
}

// Accounts lists accounts in creation order; archived ones only when asked.
func (t *Tx) Accounts(withArchived bool) ([]model.Account, error) {
	var out []model.Account
	err := t.b.Bucket(bucketAccounts).ForEach(func(k, v []byte) error {
		var a model.Account
		if _, err := decode(v, accountVersion, &a); err != nil {
			return fmt.Errorf("storage: account %d: %w", btoi(k), err)
		}
		if withArchived || !a.Archived() {
			out = append(out, a)
		}
		return nil
	})
	return out, err
}
