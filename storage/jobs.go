package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"parley/app/model"
)

// Buckets of schema version 8 (the worker runtime).
var (
	bucketJobs         = []byte("jobs")
	bucketJobQueue     = []byte("job_queue")
	bucketJobLeases    = []byte("job_leases")
	bucketJobFinished  = []byte("job_finished")
	bucketJobDead      = []byte("job_dead")
	bucketJobKeys      = []byte("job_keys")
	bucketJobCounts    = []byte("job_counts")
	bucketControls     = []byte("controls")
	bucketIncidents    = []byte("incidents")
	bucketIncidentOpen = []byte("incidents_open")
	bucketHealth       = []byte("health")
)

func migrateV8(tx *bolt.Tx) error {
	return createBuckets(tx, bucketJobs, bucketJobQueue, bucketJobLeases, bucketJobFinished, bucketJobDead,
		bucketJobKeys, bucketJobCounts, bucketControls, bucketIncidents, bucketIncidentOpen, bucketHealth)
}

const jobVersion = 1

var jobs = table[model.Job]{bucket: bucketJobs, version: jobVersion, noun: "job", id: func(j *model.Job) *uint64 { return &j.ID }}

// timeKey is a time as 8 sortable bytes (times before 1970 sort first).
func timeKey(t time.Time) []byte {
	if t.IsZero() || t.UnixNano() < 0 {
		return make([]byte, 8)
	}
	return itob(uint64(t.UnixNano()))
}

func keyTime(b []byte) time.Time { return time.Unix(0, int64(binary.BigEndian.Uint64(b))).UTC() }

func queueKey(j model.Job) []byte {
	k := make([]byte, 0, 24)
	k = append(k, itob(j.AccountID)...)
	k = append(k, timeKey(j.Due)...)
	return append(k, itob(j.ID)...)
}

func stampKey(t time.Time, id uint64) []byte { return append(timeKey(t), itob(id)...) }

func jobCountKey(accountID uint64, state string) []byte { return append(itob(accountID), state...) }

// CreateJob stores a new job and indexes it by its state.
func (t *Tx) CreateJob(j model.Job) (model.Job, error) {
	id, err := t.b.Bucket(bucketJobs).NextSequence()
	if err != nil {
		return j, fmt.Errorf("storage: create job: %w", err)
	}
	j.ID = id
	if j.CreatedAt.IsZero() {
		j.CreatedAt = t.now
	}
	j.UpdatedAt = t.now
	if err := jobs.put(t, j); err != nil {
		return j, err
	}
	return j, t.indexJob(j, +1)
}

// PutJob stores a changed job, moving it between the queue, lease,
// finished and dead-letter indexes as its state says.
func (t *Tx) PutJob(j model.Job) error {
	prev, err := t.Job(j.ID)
	if err != nil {
		return err
	}
	if err := t.indexJob(prev, -1); err != nil {
		return err
	}
	j.UpdatedAt = t.now
	if err := jobs.put(t, j); err != nil {
		return err
	}
	return t.indexJob(j, +1)
}

// indexJob adds (+1) or removes (-1) a job's index entries.
func (t *Tx) indexJob(j model.Job, delta int64) error {
	put := func(b []byte, k []byte) error {
		if delta > 0 && bytes.Equal(b, bucketJobFinished) {
			return t.appendOnly(b).Put(k, nil)
		}
		if delta > 0 {
			return t.b.Bucket(b).Put(k, nil)
		}
		return t.b.Bucket(b).Delete(k)
	}
	t.addCount(bucketJobCounts, jobCountKey(j.AccountID, j.State), delta)
	t.addCount(bucketJobCounts, jobCountKey(0, j.State), delta) // all accounts
	switch j.State {
	case model.JobQueued:
		return put(bucketJobQueue, queueKey(j))
	case model.JobRunning:
		return put(bucketJobLeases, stampKey(j.LeaseUntil, j.ID))
	case model.JobDead:
		if err := put(bucketJobDead, itob(j.ID)); err != nil {
			return err
		}
		return put(bucketJobFinished, stampKey(j.FinishedAt, j.ID))
	case model.JobDone, model.JobCancelled:
		return put(bucketJobFinished, stampKey(j.FinishedAt, j.ID))
	}
	return nil
}

// Job reads one job.
func (t *Tx) Job(id uint64) (model.Job, error) { return jobs.get(t, id) }

// DueJobs calls fn with the account's queued jobs due at or before now,
// earliest first, until fn returns false.
func (t *Tx) DueJobs(accountID uint64, now time.Time, fn func(model.Job) bool) error {
	prefix := itob(accountID)
	limit := append(append([]byte{}, prefix...), timeKey(now)...)
	c := t.b.Bucket(bucketJobQueue).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if bytes.Compare(k[:16], limit) > 0 {
			return nil
		}
		j, err := t.Job(btoi(k[16:]))
		if err != nil {
			return err
		}
		if !fn(j) {
			return nil
		}
	}
	return nil
}

// NextDue is the due time of the account's earliest queued job (zero when
// its queue is empty).
func (t *Tx) NextDue(accountID uint64) time.Time {
	prefix := itob(accountID)
	k, _ := t.b.Bucket(bucketJobQueue).Cursor().Seek(prefix)
	if k == nil || !bytes.HasPrefix(k, prefix) {
		return time.Time{}
	}
	return keyTime(k[8:16])
}

// JobCount is how many of the account's jobs are in a state (account 0:
// all accounts).
func (t *Tx) JobCount(accountID uint64, state string) int {
	return int(t.count(bucketJobCounts, jobCountKey(accountID, state)))
}

// ExpiredLeases returns running jobs whose lease ended before now.
func (t *Tx) ExpiredLeases(now time.Time, limit int) ([]model.Job, error) {
	var out []model.Job
	c := t.b.Bucket(bucketJobLeases).Cursor()
	for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
		if !keyTime(k[:8]).Before(now) {
			break
		}
		j, err := t.Job(btoi(k[8:]))
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// RunningJobs calls fn for every running job.
func (t *Tx) RunningJobs(fn func(model.Job) bool) error {
	c := t.b.Bucket(bucketJobLeases).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		j, err := t.Job(btoi(k[8:]))
		if err != nil {
			return err
		}
		if !fn(j) {
			return nil
		}
	}
	return nil
}

// DeadJobs lists dead letters, newest first, after the id before (0: from
// the newest).
func (t *Tx) DeadJobs(before uint64, limit int) ([]model.Job, error) {
	var out []model.Job
	c := t.b.Bucket(bucketJobDead).Cursor()
	var k []byte
	if before == 0 {
		k, _ = c.Last()
	} else {
		c.Seek(itob(before))
		k, _ = c.Prev()
	}
	for ; k != nil && len(out) < limit; k, _ = c.Prev() {
		j, err := t.Job(btoi(k))
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// RecentJobs lists jobs newest first, starting below the id before (0:
// from the newest), keeping those keep accepts (nil keeps all), until
// limit are found. It also returns the id to continue from (0 at the end).
func (t *Tx) RecentJobs(before uint64, limit int, keep func(model.Job) bool) ([]model.Job, uint64, error) {
	var out []model.Job
	c := t.b.Bucket(bucketJobs).Cursor()
	var k, raw []byte
	if before == 0 {
		k, raw = c.Last()
	} else {
		c.Seek(itob(before))
		k, raw = c.Prev()
	}
	for ; k != nil; k, raw = c.Prev() {
		var j model.Job
		if _, err := decode(raw, jobVersion, &j); err != nil {
			return nil, 0, fmt.Errorf("storage: job %d: %w", btoi(k), err)
		}
		if keep != nil && !keep(j) {
			continue
		}
		if len(out) == limit {
			return out, out[limit-1].ID, nil
		}
		out = append(out, j)
	}
	return out, 0, nil
}

// ErasedText replaces what a job said about an erased person.
const ErasedText = "(erased with the lead)"

// ScrubLeadJobs removes what the jobs of the given leads say about them —
// results, errors and action logs name the person and their profile — and
// returns the evidence files (screenshots of their page) those logs named,
// for the caller to delete once the transaction has committed.
func (t *Tx) ScrubLeadJobs(leads map[uint64]bool) ([]string, error) {
	var found []model.Job
	err := jobs.each(t, func(j model.Job) bool {
		if j.LeadID != 0 && leads[j.LeadID] {
			found = append(found, j)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	var files []string
	for _, j := range found {
		if j.Result != "" {
			j.Result = ErasedText
		}
		if j.LastError != "" {
			j.LastError = ErasedText
		}
		for i := range j.Attempts {
			a := &j.Attempts[i]
			if a.Evidence != "" {
				files = append(files, a.Evidence)
			}
			a.Steps, a.Outcome, a.Evidence = nil, ErasedText, ""
		}
		if err := t.PutJob(j); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// DeadJobCount is how many dead letters wait for a person.
func (t *Tx) DeadJobCount() int { return t.JobCount(0, model.JobDead) }

// DeleteFinishedJobs removes up to limit jobs that finished before cutoff
// and returns how many it removed.
func (t *Tx) DeleteFinishedJobs(cutoff time.Time, limit int) (int, error) {
	c := t.b.Bucket(bucketJobFinished).Cursor()
	n := 0
	for k, _ := c.First(); k != nil && n < limit; k, _ = c.First() {
		if !keyTime(k[:8]).Before(cutoff) {
			break
		}
		id := btoi(k[8:])
		j, err := t.Job(id)
		if err != nil {
			return n, err
		}
		if err := t.indexJob(j, -1); err != nil {
			return n, err
		}
		if err := t.b.Bucket(bucketJobs).Delete(itob(id)); err != nil {
			return n, err
		}
		if err := t.DropJobKeyFor(j); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// JobKey returns the job planned under a natural key (one planned job per
// enrolment, one inbox check per account) and whether there is one.
func (t *Tx) JobKey(key string) (uint64, bool) {
	v := t.b.Bucket(bucketJobKeys).Get([]byte(key))
	return btoi(v), v != nil
}

// SetJobKey plans job id under key.
func (t *Tx) SetJobKey(key string, id uint64) error {
	return t.b.Bucket(bucketJobKeys).Put([]byte(key), itob(id))
}

// DropJobKey forgets key.
func (t *Tx) DropJobKey(key string) error { return t.b.Bucket(bucketJobKeys).Delete([]byte(key)) }

// DropJobKeyFor forgets every key that still names job j.
func (t *Tx) DropJobKeyFor(j model.Job) error {
	for _, key := range JobKeysOf(j) {
		if id, ok := t.JobKey(key); ok && id == j.ID {
			if err := t.DropJobKey(key); err != nil {
				return err
			}
		}
	}
	return nil
}

// JobKeysOf are the natural keys a job may be planned under.
func JobKeysOf(j model.Job) []string {
	switch {
	case j.CampaignID != 0:
		return []string{EnrolmentJobKey(j.CampaignID, j.LeadID)}
	case j.Kind == model.JobCheckInbox || j.Kind == model.JobCanary:
		return []string{AccountJobKey(j.Kind, j.AccountID)}
	}
	return nil
}

// EnrolmentJobKey names the job planned for an enrolment's next step.
func EnrolmentJobKey(campaignID, leadID uint64) string {
	return fmt.Sprintf("e:%d:%d", campaignID, leadID)
}

// AccountJobKey names an account's periodic job of a kind.
func AccountJobKey(kind string, accountID uint64) string {
	return fmt.Sprintf("a:%s:%d", kind, accountID)
}
