package storage

import (
	"testing"
	"time"

	"parley/app/model"
)

func TestSecurityStores(t *testing.T) {
	s := openTemp(t, Options{})
	err := s.Update(func(tx *Tx) error {
		if err := tx.PutUser(model.User{Name: "Alice", Role: model.RoleOwner}); err != nil {
			return err
		}
		u, ok, err := tx.User("alice")
		if err != nil || !ok || u.Name != "Alice" {
			t.Errorf("case-insensitive lookup: %+v %v %v", u, ok, err)
		}
		if tx.UserCount() != 1 {
			t.Errorf("user count %d", tx.UserCount())
		}
		for _, id := range []string{"s1", "s2"} {
			if err := tx.PutSession(model.Session{ID: id, User: "Alice"}); err != nil {
				return err
			}
		}
		tx.PutSession(model.Session{ID: "s3", User: "bob"})
		list, _ := tx.UserSessions("ALICE")
		if len(list) != 2 {
			t.Errorf("alice sessions = %+v", list)
		}
		tx.DeleteSession(list[0])
		if list, _ = tx.UserSessions("alice"); len(list) != 1 {
			t.Errorf("after delete = %+v", list)
		}
		n := 0
		tx.ForEachSession(func(model.Session) error { n++; return nil })
		if n != 2 {
			t.Errorf("all sessions = %d", n)
		}

		id, err := tx.CreateAPIKey(model.APIKey{Name: "cron", Scope: model.ScopeRead, Hash: "h1"})
		if err != nil {
			return err
		}
		k, ok, _ := tx.APIKeyByHash("h1")
		if !ok || k.ID != id || k.Name != "cron" {
			t.Errorf("by hash = %+v", k)
		}
		if _, ok, _ := tx.APIKeyByHash("nope"); ok {
			t.Error("unknown hash found")
		}

		l, _ := tx.Lockout("user:alice")
		l.Failures = []time.Time{tx.Now()}
		tx.PutLockout(l)
		if got, _ := tx.Lockout("user:alice"); len(got.Failures) != 1 {
			t.Errorf("lockout = %+v", got)
		}
		tx.PutLockout(model.Lockout{Key: "user:alice"})
		if got, _ := tx.Lockout("user:alice"); len(got.Failures) != 0 {
			t.Error("empty lockout not deleted")
		}

		tx.ReplaceSetupTokens(model.SetupToken{Hash: "a", User: "Alice"})
		tx.ReplaceSetupTokens(model.SetupToken{Hash: "b", User: "Alice"})
		if _, ok, _ := tx.SetupToken("a"); ok {
			t.Error("old setup token survived")
		}
		if _, ok, _ := tx.SetupToken("b"); !ok {
			t.Error("new setup token missing")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
