package spec

import (
	"net/mail"
	"net/netip"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// LongestUILabel is the longest label the platform puts in front of its
// domain ("headlamp.<domain>"); every such host must stay a valid DNS name.
const LongestUILabel = "headlamp"

// acmeForbidden are the email domains Let's Encrypt refuses as an ACME
// account contact (boulder's "contact email has forbidden domain").
var acmeForbidden = []string{"example.com", "example.net", "example.org"}

// validateGatewayFabric checks the domain the platform is published under
// and its TLS settings. An unusable domain or email is an error now rather
// than a certificate or DNS record that fails an hour later.
func validateGatewayFabric(g *GatewayFabric) (errs, warnings field.ErrorList) {
	if g == nil {
		return nil, nil
	}
	p := root.Child("components", "gatewayFabric")
	if !g.Enabled && (g.Domain != "" || g.TLS != nil) {
		errs = append(errs, field.Invalid(p.Child("enabled"), false,
			"must be true to publish the platform at a domain or with TLS: the Gateway serves them"))
	}
	if g.Domain != "" {
		errs = append(errs, ValidateDomain(g.Domain, p.Child("domain"))...)
	}
	if g.TLS == nil {
		if g.Domain != "" {
			warnings = append(warnings, field.Required(p.Child("tls"),
				"without it the platform's hosts are served over plain HTTP; set tls.email to get Let's Encrypt certificates"))
		}
		return errs, warnings
	}
	tp := p.Child("tls")
	if g.Domain == "" {
		errs = append(errs, field.Required(p.Child("domain"), "certificates are issued for hosts under the platform's domain, e.g. platform.example.com"))
	}
	e, w := validateEmail(g.TLS.Email, tp.Child("email"))
	return append(errs, e...), append(warnings, w...)
}

// ValidateDomain checks a base domain: a lower-case DNS name of at least two
// labels, not an address, with room for the platform's longest host.
func ValidateDomain(d string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validation.IsDNS1123Subdomain(d) {
		errs = append(errs, field.Invalid(p, d, msg))
	}
	if len(errs) > 0 {
		return errs
	}
	switch {
	case !strings.Contains(d, "."):
		errs = append(errs, field.Invalid(p, d, "must have at least two labels, e.g. platform.example.com"))
	case isAddress(d):
		errs = append(errs, field.Invalid(p, d, "must be a DNS name, not an IP address"))
	case len(LongestUILabel)+1+len(d) > validation.DNS1123SubdomainMaxLength:
		errs = append(errs, field.TooLong(p, d, validation.DNS1123SubdomainMaxLength-len(LongestUILabel)-1))
	}
	for _, label := range strings.Split(d, ".") {
		if len(label) > validation.DNS1123LabelMaxLength {
			errs = append(errs, field.Invalid(p, d, "each label must be at most 63 characters"))
			break
		}
	}
	return errs
}

func isAddress(d string) bool {
	_, err := netip.ParseAddr(d)
	return err == nil
}

func validateEmail(e string, p *field.Path) (errs, warnings field.ErrorList) {
	if e == "" {
		return field.ErrorList{field.Required(p, "the ACME account's contact, e.g. ops@your-company.com")}, nil
	}
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e || addr.Name != "" {
		return field.ErrorList{field.Invalid(p, e, "must be a plain email address such as ops@your-company.com")}, nil
	}
	_, host, _ := strings.Cut(e, "@")
	host = strings.ToLower(host)
	if len(validation.IsDNS1123Subdomain(host)) > 0 || !strings.Contains(host, ".") {
		return field.ErrorList{field.Invalid(p, e, "must end in a DNS domain with at least two labels")}, nil
	}
	for _, f := range acmeForbidden {
		if host == f || strings.HasSuffix(host, "."+f) {
			warnings = append(warnings, field.Invalid(p, e, "Let's Encrypt refuses accounts at "+f+"; certificates will not be issued until this is a real address"))
		}
	}
	return nil, warnings
}
