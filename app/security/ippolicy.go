package security

import (
	"net"
	"net/netip"
)

// IPPolicy says which peers may reach Parley at all. Loopback is always
// allowed (it is this computer); anything else must be in the allowlist.
type IPPolicy struct {
	allowed []netip.Prefix
}

// NewIPPolicy allows loopback plus the given ranges.
func NewIPPolicy(allowed []netip.Prefix) *IPPolicy { return &IPPolicy{allowed: allowed} }

// Allowed reports whether ip may connect.
func (p *IPPolicy) Allowed(ip string) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	if addr.IsLoopback() {
		return true
	}
	for _, pre := range p.allowed {
		if pre.Contains(addr) {
			return true
		}
	}
	return false
}

// IPNets converts prefixes for echo's trusted-proxy options.
func IPNets(prefixes []netip.Prefix) []*net.IPNet {
	var out []*net.IPNet
	for _, p := range prefixes {
		_, n, err := net.ParseCIDR(p.String())
		if err == nil {
			out = append(out, n)
		}
	}
	return out
}
