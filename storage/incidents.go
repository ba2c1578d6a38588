package storage

import (
	"parley/app/model"
)

const incidentVersion = 1

var incidents = table[model.Incident]{bucket: bucketIncidents, version: incidentVersion, noun: "incident", id: func(i *model.Incident) *uint64 { return &i.ID }}

// CreateIncident stores a new incident.
func (t *Tx) CreateIncident(i model.Incident) (model.Incident, error) {
	i, err := incidents.create(t, i)
	if err != nil {
		return i, err
	}
	return i, t.indexIncident(i)
}

// PutIncident stores a changed incident.
func (t *Tx) PutIncident(i model.Incident) error {
	if err := incidents.put(t, i); err != nil {
		return err
	}
	return t.indexIncident(i)
}

func (t *Tx) indexIncident(i model.Incident) error {
	b := t.b.Bucket(bucketIncidentOpen)
	if i.State == model.IncidentResolved {
		return b.Delete(itob(i.ID))
	}
	return b.Put(itob(i.ID), nil)
}

// Incident reads one incident.
func (t *Tx) Incident(id uint64) (model.Incident, error) { return incidents.get(t, id) }

// OpenIncidents lists incidents not yet resolved, oldest first.
func (t *Tx) OpenIncidents() ([]model.Incident, error) {
	var out []model.Incident
	c := t.b.Bucket(bucketIncidentOpen).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		i, err := t.Incident(btoi(k))
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, nil
}

// RecentIncidents lists up to limit incidents, newest first.
func (t *Tx) RecentIncidents(limit int) ([]model.Incident, error) {
	var out []model.Incident
	c := t.b.Bucket(bucketIncidents).Cursor()
	for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
		var i model.Incident
		if _, err := decode(v, incidentVersion, &i); err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, nil
}
