package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	bolt "go.etcd.io/bbolt"

	"parley/app/model"
)

// Buckets of schema version 6 (templates, campaigns, enrolments,
// approvals, do-not-contact rules).
var (
	bucketTemplates          = []byte("templates")
	bucketTemplatesByName    = []byte("templates_by_name")
	bucketCampaigns          = []byte("campaigns")
	bucketCampaignsByName    = []byte("campaigns_by_name")
	bucketEnrolments         = []byte("enrolments")
	bucketEnrolmentsByLead   = []byte("enrolments_by_lead")
	bucketCampaignCounts     = []byte("campaign_counts")
	bucketApprovals          = []byte("approvals")
	bucketApprovalsPending   = []byte("approvals_pending")
	bucketApprovalsByStep    = []byte("approvals_by_step")
	bucketDNC                = []byte("dnc")
	bucketDNCByValue         = []byte("dnc_by_value")
	campaignDomainBucketList = [][]byte{bucketTemplates, bucketTemplatesByName, bucketCampaigns, bucketCampaignsByName,
		bucketEnrolments, bucketEnrolmentsByLead, bucketCampaignCounts, bucketApprovals, bucketApprovalsPending,
		bucketApprovalsByStep, bucketDNC, bucketDNCByValue}
)

// bucketLeadFields names every custom field any lead has had, for template
// variables ("is {{industry}} a field?").
var bucketLeadFields = []byte("lead_fields")

// migrateV6 adds the campaign buckets and the custom-field names, collected
// from the existing leads.
func migrateV6(tx *bolt.Tx) error {
	if err := createBuckets(tx, append(campaignDomainBucketList, bucketLeadFields)...); err != nil {
		return err
	}
	fields := tx.Bucket(bucketLeadFields)
	return tx.Bucket(bucketLeads).ForEach(func(_, raw []byte) error {
		var l model.Lead
		if _, err := decode(raw, leadVersion, &l); err != nil {
			return err
		}
		return noteFields(fields, l)
	})
}

func noteFields(b *bolt.Bucket, l model.Lead) error {
	for k := range l.Custom {
		key := []byte(strings.ToLower(k))
		if b.Get(key) == nil {
			if err := b.Put(key, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// LeadFields returns the custom field names leads have had, lower-cased.
func (t *Tx) LeadFields() []string {
	var out []string
	t.b.Bucket(bucketLeadFields).ForEach(func(k, _ []byte) error {
		out = append(out, string(k))
		return nil
	})
	return out
}

var (
	templates = table[model.Template]{bucket: bucketTemplates, version: 1, noun: "template",
		id: func(v *model.Template) *uint64 { return &v.ID }, byName: bucketTemplatesByName,
		name: func(v *model.Template) string { return v.Name }}
	campaigns = table[model.Campaign]{bucket: bucketCampaigns, version: 1, noun: "campaign",
		id: func(v *model.Campaign) *uint64 { return &v.ID }, byName: bucketCampaignsByName,
		name: func(v *model.Campaign) string { return v.Name }}
	approvals = table[model.Approval]{bucket: bucketApprovals, version: 1, noun: "approval",
		id: func(v *model.Approval) *uint64 { return &v.ID }}
	dncEntries = table[model.DNCEntry]{bucket: bucketDNC, version: 1, noun: "do-not-contact rule",
		id: func(v *model.DNCEntry) *uint64 { return &v.ID }}
)

// CreateTemplate stores a new template; names are unique.
func (t *Tx) CreateTemplate(v model.Template) (model.Template, error) { return templates.create(t, v) }

// PutTemplate replaces a template.
func (t *Tx) PutTemplate(v model.Template) error { return templates.put(t, v) }

// Template returns a template.
func (t *Tx) Template(id uint64) (model.Template, error) { return templates.get(t, id) }

// Templates returns every template in creation order.
func (t *Tx) Templates() ([]model.Template, error) { return templates.all(t) }

// CreateCampaign stores a new campaign; names are unique.
func (t *Tx) CreateCampaign(v model.Campaign) (model.Campaign, error) { return campaigns.create(t, v) }

// PutCampaign replaces a campaign.
func (t *Tx) PutCampaign(v model.Campaign) error {
	if prev, err := t.Campaign(v.ID); err == nil && prev.State != v.State {
		if t.changedCampaign == nil {
			t.changedCampaign = map[uint64]bool{}
		}
		t.changedCampaign[v.ID] = true
	}
	return campaigns.put(t, v)
}

// Campaign returns a campaign.
func (t *Tx) Campaign(id uint64) (model.Campaign, error) { return campaigns.get(t, id) }

// Campaigns returns every campaign in creation order.
func (t *Tx) Campaigns() ([]model.Campaign, error) { return campaigns.all(t) }

func enrolmentKey(campaignID, leadID uint64) []byte {
	return append(itob(campaignID), itob(leadID)...)
}

const enrolmentVersion = 1

// Enrolment returns a lead's enrolment in a campaign.
func (t *Tx) Enrolment(campaignID, leadID uint64) (model.Enrolment, bool, error) {
	var e model.Enrolment
	raw := t.b.Bucket(bucketEnrolments).Get(enrolmentKey(campaignID, leadID))
	if raw == nil {
		return e, false, nil
	}
	_, err := decode(raw, enrolmentVersion, &e)
	return e, err == nil, err
}

// PutEnrolment stores an enrolment and keeps the campaign's counters (per
// status, and per step for active ones) in step.
func (t *Tx) PutEnrolment(e model.Enrolment) error {
	prev, had, err := t.Enrolment(e.CampaignID, e.LeadID)
	if err != nil {
		return err
	}
	if had {
		if err := t.countEnrolment(prev, -1); err != nil {
			return err
		}
	}
	val, err := encode(enrolmentVersion, e)
	if err != nil {
		return err
	}
	if err := t.b.Bucket(bucketEnrolments).Put(enrolmentKey(e.CampaignID, e.LeadID), val); err != nil {
		return err
	}
	if err := t.b.Bucket(bucketEnrolmentsByLead).Put(enrolmentKey(e.LeadID, e.CampaignID), nil); err != nil {
		return err
	}
	t.changedEnrolment(e.CampaignID, e.LeadID)
	return t.countEnrolment(e, +1)
}

func (t *Tx) countEnrolment(e model.Enrolment, delta int64) error {
	b := t.b.Bucket(bucketCampaignCounts)
	keys := [][]byte{append(itob(e.CampaignID), "status:"+e.Status...)}
	if e.Status == model.EnrolActive {
		keys = append(keys, append(itob(e.CampaignID), "step:"+strconv.Itoa(e.Step)...))
	}
	for _, k := range keys {
		n := int64(btoi(b.Get(k))) + delta
		if n <= 0 {
			if err := b.Delete(k); err != nil {
				return err
			}
			continue
		}
		if err := b.Put(k, itob(uint64(n))); err != nil {
			return err
		}
	}
	return nil
}

// DeleteEnrolment removes a lead's enrolment (used when a lead is deleted).
func (t *Tx) DeleteEnrolment(campaignID, leadID uint64) error {
	e, had, err := t.Enrolment(campaignID, leadID)
	if err != nil || !had {
		return err
	}
	if err := t.countEnrolment(e, -1); err != nil {
		return err
	}
	t.changedEnrolment(campaignID, leadID)
	if err := t.b.Bucket(bucketEnrolmentsByLead).Delete(enrolmentKey(leadID, campaignID)); err != nil {
		return err
	}
	return t.b.Bucket(bucketEnrolments).Delete(enrolmentKey(campaignID, leadID))
}

// CampaignCounts are a campaign's enrolments per status, the active ones
// per next step, and how often each outcome was recorded.
type CampaignCounts struct {
	ByStatus map[string]int `json:"by_status"`
	ByStep   map[int]int    `json:"by_step"`
	Outcomes map[string]int `json:"outcomes"`
}

// Enrolled is the number of leads ever enrolled.
func (c CampaignCounts) Enrolled() int {
	n := 0
	for _, v := range c.ByStatus {
		n += v
	}
	return n
}

// CampaignCounts reads a campaign's counters.
func (t *Tx) CampaignCounts(campaignID uint64) CampaignCounts {
	cc := CampaignCounts{ByStatus: map[string]int{}, ByStep: map[int]int{}, Outcomes: map[string]int{}}
	prefix := itob(campaignID)
	c := t.b.Bucket(bucketCampaignCounts).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		label := string(k[8:])
		n := int(btoi(v))
		if s, ok := strings.CutPrefix(label, "status:"); ok {
			cc.ByStatus[s] = n
		} else if s, ok := strings.CutPrefix(label, "step:"); ok {
			if i, err := strconv.Atoi(s); err == nil {
				cc.ByStep[i] = n
			}
		} else if s, ok := strings.CutPrefix(label, "outcome:"); ok {
			cc.Outcomes[s] = n
		}
	}
	return cc
}

// CountOutcome adds one to a campaign's count of an outcome.
func (t *Tx) CountOutcome(campaignID uint64, outcome string) error {
	b := t.b.Bucket(bucketCampaignCounts)
	k := append(itob(campaignID), "outcome:"+outcome...)
	return b.Put(k, itob(btoi(b.Get(k))+1))
}

// Enrolments calls fn with a campaign's enrolments in lead order, starting
// after the lead id after, until fn returns false.
func (t *Tx) Enrolments(campaignID, after uint64, fn func(model.Enrolment) bool) error {
	prefix := itob(campaignID)
	c := t.b.Bucket(bucketEnrolments).Cursor()
	k, raw := c.Seek(enrolmentKey(campaignID, after+1))
	for ; k != nil && bytes.HasPrefix(k, prefix); k, raw = c.Next() {
		var e model.Enrolment
		if _, err := decode(raw, enrolmentVersion, &e); err != nil {
			return fmt.Errorf("storage: enrolment %x: %w", k, err)
		}
		if !fn(e) {
			return nil
		}
	}
	return nil
}

// LeadEnrolments returns every enrolment of a lead.
func (t *Tx) LeadEnrolments(leadID uint64) ([]model.Enrolment, error) {
	prefix := itob(leadID)
	var out []model.Enrolment
	c := t.b.Bucket(bucketEnrolmentsByLead).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		e, ok, err := t.Enrolment(btoi(k[8:]), leadID)
		if err != nil {
			return out, err
		}
		if ok {
			out = append(out, e)
		}
	}
	return out, nil
}

func approvalStepKey(campaignID, leadID uint64, step int) []byte {
	return binary.BigEndian.AppendUint32(enrolmentKey(campaignID, leadID), uint32(step))
}

// PutApproval stores an approval (a new one when ID is 0) and keeps the
// pending queue and the per-step index in step.
func (t *Tx) PutApproval(a model.Approval) (model.Approval, error) {
	var err error
	if a.ID == 0 {
		if a, err = approvals.create(t, a); err != nil {
			return a, err
		}
	} else if err = approvals.put(t, a); err != nil {
		return a, err
	}
	t.changedEnrolment(a.CampaignID, a.LeadID)
	pending := t.b.Bucket(bucketApprovalsPending)
	if a.Status == model.ApprovalPending {
		err = pending.Put(itob(a.ID), nil)
	} else {
		err = pending.Delete(itob(a.ID))
	}
	if err != nil {
		return a, err
	}
	return a, t.b.Bucket(bucketApprovalsByStep).Put(approvalStepKey(a.CampaignID, a.LeadID, a.Step), itob(a.ID))
}

// Approval returns an approval.
func (t *Tx) Approval(id uint64) (model.Approval, error) { return approvals.get(t, id) }

// StepApproval returns the latest approval drafted for a lead's step.
func (t *Tx) StepApproval(campaignID, leadID uint64, step int) (model.Approval, bool, error) {
	id := t.b.Bucket(bucketApprovalsByStep).Get(approvalStepKey(campaignID, leadID, step))
	if id == nil {
		return model.Approval{}, false, nil
	}
	a, err := approvals.get(t, btoi(id))
	return a, err == nil, err
}

// PendingApprovals calls fn with pending approvals, oldest first, until fn
// returns false.
func (t *Tx) PendingApprovals(fn func(model.Approval) bool) error {
	c := t.b.Bucket(bucketApprovalsPending).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		a, err := approvals.get(t, btoi(k))
		if err != nil {
			return err
		}
		if !fn(a) {
			return nil
		}
	}
	return nil
}

// PendingApprovalCount is the length of the approvals queue.
func (t *Tx) PendingApprovalCount() int { return t.b.Bucket(bucketApprovalsPending).Stats().KeyN }

// DeleteApproval removes an approval and its indexes.
func (t *Tx) DeleteApproval(id uint64) error {
	a, err := approvals.get(t, id)
	if err != nil {
		return err
	}
	if err := t.b.Bucket(bucketApprovalsPending).Delete(itob(id)); err != nil {
		return err
	}
	key := approvalStepKey(a.CampaignID, a.LeadID, a.Step)
	if cur := t.b.Bucket(bucketApprovalsByStep).Get(key); cur != nil && btoi(cur) == id {
		if err := t.b.Bucket(bucketApprovalsByStep).Delete(key); err != nil {
			return err
		}
	}
	return approvals.delete(t, id)
}

// LeadApprovals returns every approval drafted for a lead.
func (t *Tx) LeadApprovals(leadID uint64) ([]model.Approval, error) {
	var out []model.Approval
	enrols, err := t.LeadEnrolments(leadID)
	if err != nil {
		return nil, err
	}
	for _, e := range enrols {
		prefix := enrolmentKey(e.CampaignID, leadID)
		c := t.b.Bucket(bucketApprovalsByStep).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			a, err := approvals.get(t, btoi(v))
			if err != nil {
				return out, err
			}
			out = append(out, a)
		}
	}
	return out, nil
}

func dncValueKey(kind, value string) []byte { return []byte(kind + ":" + value) }

// CreateDNC stores a do-not-contact rule; the same kind and value twice is
// a conflict.
func (t *Tx) CreateDNC(e model.DNCEntry) (model.DNCEntry, error) {
	idx := t.b.Bucket(bucketDNCByValue)
	if id := idx.Get(dncValueKey(e.Kind, e.Value)); id != nil {
		return e, model.Errorf(model.CodeConflict, "the do-not-contact list already has this %s rule (%d)", e.Kind, btoi(id))
	}
	e, err := dncEntries.create(t, e)
	if err != nil {
		return e, err
	}
	return e, idx.Put(dncValueKey(e.Kind, e.Value), itob(e.ID))
}

// DNCByValue finds a rule by kind and normalised value.
func (t *Tx) DNCByValue(kind, value string) (model.DNCEntry, bool, error) {
	id := t.b.Bucket(bucketDNCByValue).Get(dncValueKey(kind, value))
	if id == nil {
		return model.DNCEntry{}, false, nil
	}
	e, err := dncEntries.get(t, btoi(id))
	return e, err == nil, err
}

// DNC returns a rule.
func (t *Tx) DNC(id uint64) (model.DNCEntry, error) { return dncEntries.get(t, id) }

// DNCEntries returns every rule in creation order.
func (t *Tx) DNCEntries() ([]model.DNCEntry, error) { return dncEntries.all(t) }

// DeleteDNC removes a rule.
func (t *Tx) DeleteDNC(id uint64) error {
	e, err := dncEntries.get(t, id)
	if err != nil {
		return err
	}
	if err := t.b.Bucket(bucketDNCByValue).Delete(dncValueKey(e.Kind, e.Value)); err != nil {
		return err
	}
	return dncEntries.delete(t, id)
}
