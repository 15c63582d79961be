#pragma once
// Kubernetes' syntax for names, label keys and values and API versions, as
// the API server checks them (k8s.io/apimachinery/pkg/util/validation). Each
// check returns nullopt when the text is valid, else what is wrong with it,
// phrased to complete "<what> '<text>' ...".

#include <optional>
#include <string>
#include <string_view>

namespace pushgate {

using NameProblem = std::optional<std::string>;

// At most 63 lower-case letters, digits and '-', starting and ending with a
// letter or digit (namespaces).
NameProblem check_dns1123_label(std::string_view text);
// Like a label, but starting with a letter (services).
NameProblem check_dns1035_label(std::string_view text);
// At most 253 characters: labels joined by '.' (most object names).
NameProblem check_dns1123_subdomain(std::string_view text);
// Anything but "", ".", "..", or text with '/' or '%' (RBAC object names).
NameProblem check_path_segment(std::string_view text);
// A label or annotation key: an optional DNS subdomain prefix and '/', then
// a name of at most 63 letters, digits, '-', '_', '.', starting and ending
// with a letter or digit.
NameProblem check_qualified_name(std::string_view text);
// A label value: empty, or like the name part of a qualified name.
NameProblem check_label_value(std::string_view text);
// `v1` or `group/version`: a DNS subdomain group and a version such as v1,
// v1beta1 or v2alpha3.
NameProblem check_api_version(std::string_view text);
// Upper camel case letters and digits, such as Deployment.
NameProblem check_kind(std::string_view text);

}  // namespace pushgate
