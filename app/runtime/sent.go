package runtime

import (
	"context"
	"time"

	"parley/app/campaigns/leadurl"
	"parley/app/model"
	"parley/automation"
)

// sentFresh is how long a read of an account's sent invitations answers
// its acceptance checks before it is read again.
const sentFresh = 15 * time.Minute

// sentList is an account's pending invitations as last read from the
// sent-invitations page, by profile key.
type sentList struct {
	at      time.Time
	profile map[string]bool
}

// sentPending reports whether the lead's invite is on the account's
// sent-invitations page, reading the page when the last read is stale
// (read: it was read now). One read answers the account's acceptance
// checks for a while, instead of a profile visit each. A page that cannot
// be read answers false, and the caller checks the profile itself; only
// LinkedIn pushing back (a challenge, a sign-out) is returned, to stop the
// account.
func (r *Runtime) sentPending(ctx context.Context, s automation.Session, profileURL string) (pending, read bool, err error) {
	key := profileKey(profileURL)
	if key == "" {
		return false, false, nil
	}
	now := r.clock.Now()
	r.mu.Lock()
	list, ok := r.sent[s.AccountID]
	r.mu.Unlock()
	tr := automation.TraceOf(ctx)
	if !ok || now.Sub(list.at) >= sentFresh || now.Before(list.at) {
		urls, err := r.site.SentInvites(ctx, s)
		if c := automation.ClassOf(err); c == model.ErrClassChallenge || c == model.ErrClassLogin {
			return false, true, err
		}
		if err != nil {
			tr.Step("the sent-invitations page could not be read (%s); checking the profile instead", automation.Describe(err))
			r.log.Warn("sent invitations not read; acceptance is checked on each profile", "account", s.AccountID, "error", err)
			return false, true, nil
		}
		list = sentList{at: now, profile: map[string]bool{}}
		for _, u := range urls {
			if k := profileKey(u); k != "" {
				list.profile[k] = true
			}
		}
		r.mu.Lock()
		r.sent[s.AccountID] = list
		r.mu.Unlock()
		read = true
	} else {
		tr.Step("the sent invitations read %s ago answer this check", now.Sub(list.at).Round(time.Second))
	}
	return list.profile[key], read, nil
}

// forgetSent drops an account's sent invitations as last read (a withdrawal
// changed them).
func (r *Runtime) forgetSent(accountID uint64) {
	r.mu.Lock()
	delete(r.sent, accountID)
	r.mu.Unlock()
}

// profileKey is a profile's canonical key ("" for an address that is not
// a profile).
func profileKey(u string) string {
	p, err := leadurl.Parse(u)
	if err != nil {
		return ""
	}
	return string(p.Kind) + ":" + p.Key
}
