package sequence

import (
	"encoding/binary"
	"hash/fnv"

	"parley/app/model"
)

// PickVariant chooses the variant of a step's text for one lead. The
// choice is deterministic — the same campaign, lead and step always give
// the same variant, so a redraft uses the same text — and spread over
// leads in proportion to the weights (a weight below 1 counts as 1). It
// returns the zero Variant when vs is empty. Changing the variants or
// their weights may change the choice for leads not yet drafted.
func PickVariant(vs []model.Variant, campaignID, leadID uint64, step int) model.Variant {
	if len(vs) == 0 {
		return model.Variant{}
	}
	total := uint64(0)
	for _, v := range vs {
		total += weight(v)
	}
	var b [24]byte
	binary.BigEndian.PutUint64(b[0:], campaignID)
	binary.BigEndian.PutUint64(b[8:], leadID)
	binary.BigEndian.PutUint64(b[16:], uint64(step))
	h := fnv.New64a()
	h.Write(b[:])
	point := mix(h.Sum64()) % total
	for _, v := range vs {
		if point < weight(v) {
			return v
		}
		point -= weight(v)
	}
	return vs[len(vs)-1] // not reached
}

func weight(v model.Variant) uint64 { return uint64(max(v.Weight, 1)) }

// mix is the splitmix64 finaliser. FNV's low bits depend weakly on its
// input (bit 0 is the parity of the input bytes' bit 0), and the modulo
// reads the low bits, so they are stirred first.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
