package security

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// IPPolicy says which peers may reach Parley at all. Loopback is always
// allowed (it is this computer); anything else must be in the allowlist.
type IPPolicy struct {
	allowed []netip.Prefix
}

// ParsePrefixes reads a comma-separated list of IPs and CIDR ranges.
func ParsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !strings.Contains(item, "/") {
			addr, err := netip.ParseAddr(item)
			if err != nil {
				return nil, fmt.Errorf("%q is not an IP address or CIDR range", item)
			}
			out = append(out, netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return nil, fmt.Errorf("%q is not an IP address or CIDR range", item)
		}
		out = append(out, p.Masked())
	}
	return out, nil
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
