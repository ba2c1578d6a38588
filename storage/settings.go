package storage

import (
	"encoding/json"
	"fmt"
)

const settingVersion = 1

type settingValue struct {
	Value json.RawMessage `json:"value"`
}

// GetSetting decodes the setting name into v and reports whether it exists.
func (t *Tx) GetSetting(name string, v any) (bool, error) {
	raw := t.b.Bucket(bucketSettings).Get([]byte(name))
	if raw == nil {
		return false, nil
	}
	var s settingValue
	if _, err := decode(raw, settingVersion, &s); err != nil {
		return true, fmt.Errorf("storage: setting %s: %w", name, err)
	}
	if err := json.Unmarshal(s.Value, v); err != nil {
		return true, fmt.Errorf("storage: setting %s: %w", name, err)
	}
	return true, nil
}

// PutSetting stores v as the setting name.
func (t *Tx) PutSetting(name string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("storage: setting %s: %w", name, err)
	}
	val, err := encode(settingVersion, settingValue{Value: body})
	if err != nil {
		return fmt.Errorf("storage: setting %s: %w", name, err)
	}
	if err := t.b.Bucket(bucketSettings).Put([]byte(name), val); err != nil {
		return fmt.Errorf("storage: setting %s: %w", name, err)
	}
	return nil
}
